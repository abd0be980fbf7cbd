"""Small real-format Hugging Face files for the models whose text side comes from the hub.

The real tokenizer files (XLM-RoBERTa's SentencePiece, SigLIP 2's Gemma) and xlm-roberta-base's
config cannot be downloaded here, so the tests make stand-ins in the same formats and put them
exactly where a download puts them (the hub cache layout under the data folder's models dir):

- a SentencePiece model (Unigram for XLM-R, BPE with byte fallback for Gemma) trained on a
  small English and Chinese corpus, converted to ``tokenizer.json`` by transformers' own
  converter as the hub's files were, with the special tokens at the published ids and the
  vocabulary filled to its published size, plus the config files AutoTokenizer reads to pick
  the tokenizer class;
- xlm-roberta-base's ``config.json`` with its published values.

The architectures built from them are the real ones; only the vocabulary is small (its ids are a
subset of the real vocabulary's range, so the real embedding tables take them).
"""

from __future__ import annotations

import json
from pathlib import Path

# A commit id for the fake snapshot; any 40 hex digits do.
FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567"

CORPUS = [
    "a photo of a dog on the beach at sunset",
    "sunset over the sea, the beach and the waves",
    "a cat sleeping on a red sofa",
    "mountains covered in snow under a blue sky",
    "a birthday cake with candles",
    "children playing in the park in summer",
    "a receipt from the supermarket",
    "the city at night with lights",
    "海边的日落",
    "海边的日落和海浪",
    "一只狗在海滩上奔跑",
    "日落时的海边",
    "雪山和蓝天",
    "生日蛋糕和蜡烛",
    "夏天在公园里玩耍的孩子",
    "夜晚的城市灯光",
    "一只猫睡在红色的沙发上",
    "超市的收据",
    "海边 日落 海浪 沙滩 狗 猫 城市 夜晚",
]

# xlm-roberta-base's published config.json (the hub's FacebookAI/xlm-roberta-base), as is.
XLM_ROBERTA_BASE_CONFIG = {
    "architectures": ["XLMRobertaForMaskedLM"],
    "attention_probs_dropout_prob": 0.1,
    "bos_token_id": 0,
    "eos_token_id": 2,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "hidden_size": 768,
    "initializer_range": 0.02,
    "intermediate_size": 3072,
    "layer_norm_eps": 1e-05,
    "max_position_embeddings": 514,
    "model_type": "xlm-roberta",
    "num_attention_heads": 12,
    "num_hidden_layers": 12,
    "output_past": True,
    "pad_token_id": 1,
    "position_embedding_type": "absolute",
    "transformers_version": "4.17.0.dev0",
    "type_vocab_size": 1,
    "use_cache": True,
    "vocab_size": 250002,
}


def _converted(kind: str, tokenizer_class: str, model_file: str, **spm_args: object) -> dict:
    """tokenizer.json content made the way the hub's files were made: a SentencePiece model
    trained on CORPUS, converted by transformers' own converter (from_pretrained on the .model
    file), saved by save_pretrained."""
    import io
    import json
    import tempfile

    import sentencepiece as spm
    import transformers

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS * 3), model_writer=buffer, vocab_size=400,
        model_type=kind, hard_vocab_limit=False, character_coverage=1.0,
        max_sentencepiece_length=4, minloglevel=2, **spm_args,
    )
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / model_file).write_bytes(buffer.getvalue())
        tok = getattr(transformers, tokenizer_class).from_pretrained(tmp)
        tok.save_pretrained(str(Path(tmp) / "saved"))
        return dict(json.loads((Path(tmp) / "saved" / "tokenizer.json").read_text("utf-8")))


def _filler(index: int) -> str:
    # Private-use characters: pieces no query ever contains, only there to give the vocabulary
    # its real size (ids as high as the real ones; transformers' large-vocabulary code paths).
    return f"\ue000{index}"


def _snapshot(cache_dir: Path, repo_id: str) -> Path:
    """The folder a hub download of ``repo_id`` fills, with refs/main pointing at it."""
    root = cache_dir / ("models--" + repo_id.replace("/", "--"))
    (root / "refs").mkdir(parents=True, exist_ok=True)
    (root / "refs" / "main").write_text(FAKE_COMMIT)
    snap = root / "snapshots" / FAKE_COMMIT
    snap.mkdir(parents=True, exist_ok=True)
    return snap


def write_xlm_roberta_base(cache_dir: Path) -> Path:
    """xlm-roberta-base's tokenizer.json and config.json where a download puts them: a
    SentencePiece Unigram model (nmt_nfkc normalisation, as XLM-R's), <s> <pad> </s> <unk> at
    0-3 and <mask> last, at 250001, as published."""
    data = _converted(
        "unigram", "XLMRobertaTokenizer", "sentencepiece.bpe.model",
        normalization_rule_name="nmt_nfkc", bos_id=0, pad_id=1, eos_id=2, unk_id=3,
    )
    vocab = data["model"]["vocab"]
    mask = vocab.pop()  # ["<mask>", 0.0]
    size = XLM_ROBERTA_BASE_CONFIG["vocab_size"]
    vocab += [[_filler(i), -1000.0] for i in range(size - 1 - len(vocab))]
    vocab.append(mask)
    for token in data["added_tokens"]:
        if token["content"] == "<mask>":
            token["id"] = size - 1
    snap = _snapshot(cache_dir, "xlm-roberta-base")
    (snap / "tokenizer.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    # The published repo has no tokenizer_config.json: AutoTokenizer picks the class from
    # config.json's model_type.
    (snap / "config.json").write_text(json.dumps(XLM_ROBERTA_BASE_CONFIG, indent=2))
    return snap


GEMMA_VOCAB_SIZE = 256000


def write_gemma_tokenizer(cache_dir: Path, repo_id: str) -> Path:
    """A Gemma-format tokenizer as SigLIP 2's hub repos hold it: SentencePiece BPE with byte
    fallback, <pad> <eos> <bos> <unk> at 0-3, 256,000 ids; its post-processor appends <eos>."""
    data = _converted(
        "bpe", "GemmaTokenizer", "tokenizer.model",
        normalization_rule_name="identity", add_dummy_prefix=False,
        remove_extra_whitespaces=False, split_digits=True, byte_fallback=True,
        allow_whitespace_only_pieces=True, pad_id=0, eos_id=1, bos_id=2, unk_id=3,
        pad_piece="<pad>", eos_piece="<eos>", bos_piece="<bos>",
    )
    vocab = data["model"]["vocab"]
    for i in range(GEMMA_VOCAB_SIZE - len(vocab)):
        vocab[_filler(i)] = len(vocab)
    data["post_processor"] = {
        "type": "TemplateProcessing",
        "single": [{"Sequence": {"id": "A", "type_id": 0}},
                   {"SpecialToken": {"id": "<eos>", "type_id": 0}}],
        "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                 {"SpecialToken": {"id": "<eos>", "type_id": 0}},
                 {"Sequence": {"id": "B", "type_id": 1}},
                 {"SpecialToken": {"id": "<eos>", "type_id": 1}}],
        "special_tokens": {"<eos>": {"id": "<eos>", "ids": [1], "tokens": ["<eos>"]}},
    }
    snap = _snapshot(cache_dir, repo_id)
    (snap / "tokenizer.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    config = {
        "tokenizer_class": "GemmaTokenizer",
        "add_bos_token": False,
        "add_eos_token": True,
        "bos_token": "<bos>",
        "eos_token": "<eos>",
        "pad_token": "<pad>",
        "unk_token": "<unk>",
        "padding_side": "right",
        "clean_up_tokenization_spaces": False,
    }
    (snap / "tokenizer_config.json").write_text(json.dumps(config, indent=2))
    special = {k: config[k] for k in ("bos_token", "eos_token", "pad_token", "unk_token")}
    (snap / "special_tokens_map.json").write_text(json.dumps(special, indent=2))
    return snap
