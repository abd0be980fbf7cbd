"""How well a model searches a folder of photos: retrieval metrics, side by side.

Modules, by responsibility: ``dataset`` (labels from subfolders or a captions file),
``queries`` (the text asked, prompt ensembles), ``metrics`` (pure functions on rankings),
``perturb`` (robustness copies), ``runner`` (temporary libraries, indexing, timing, ranking),
``results`` (the records), ``report`` (table and JSON) and ``chart`` (Recall@K curves as a PNG).

A caller (the CLI, a window) runs::

    report = evaluate(EvalRequest(folder, models=("ViT-B-32:laion2b_s34b_b79k",)),
                      progress=on_progress, cancel=cancel_event)

from ``core.evaluation.runner``, on a worker thread: it takes seconds to hours. ``progress``
receives ``EvalProgress`` records; setting ``cancel`` raises ``core.errors.Cancelled`` at the
next step, and the temporary folders are removed either way.
"""
