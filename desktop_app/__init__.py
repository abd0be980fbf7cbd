"""PhotoSeek's desktop app: Qt widgets over the headless ``core`` package.

Nothing here imports torch or open_clip at module level: the window appears first and the model
loads on a worker thread.
"""
