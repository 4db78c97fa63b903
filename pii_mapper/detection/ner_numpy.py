"""The project's NER model run in numpy: the same entities as spaCy's, at a third of the cost.

spaCy runs our ``pii-ner`` model (``spacy.TransitionBasedParser.v2`` over a
``spacy.Tok2Vec.v2`` of hash embeddings and a maxout window encoder) through thinc's graph of
layers, each call building the closures a training step would need, and then decodes one
token at a time in compiled code that takes and drops Python's lock several times a token.
For a chat message of 25 tokens that overhead is most of the model's time: the arithmetic is
a few small matrix products.

:class:`NumpyNer` reads the weights out of the loaded spaCy component and computes the same
thing with numpy, layer by layer in the order thinc computes it (so the products and sums
are the same floating-point operations), and decodes greedily with the BILUO transition
system's rules for a fresh document (no preset entities, no sentence boundaries). The one
difference is where a score is computed: spaCy multiplies one state's hidden vector at a
time with blis, this module all the tokens' at once with numpy, which may differ in the
last bit of a float; the integration tests check that the entities are the same as spaCy's.

:meth:`NumpyNer.of` accepts only the architecture it knows (checked layer by layer);
anything else, such as another spaCy model named in ``models/nlp.json``, keeps spaCy's own
path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["NumpyNer"]

# spaCy's BILUO moves, as ``moves.get_class_name`` spells a class's first letter.
_BEGIN, _IN, _LAST, _UNIT, _OUT = "B", "I", "L", "U", "O"


@dataclass(frozen=True, slots=True)
class _HashEmbed:
    column: int
    seed: int
    table: np.ndarray  # (rows, width)


def _piece_major(weights: np.ndarray, outputs: int) -> np.ndarray:
    """thinc's maxout parameters, whose axis ``outputs`` is followed by the pieces' axis,
    with the two swapped: each piece's outputs are then one contiguous block of a product's
    columns, and their maximum is a few elementwise maxima (numpy's reduction over an axis
    of two or three is slow)."""
    return np.ascontiguousarray(np.swapaxes(weights, outputs, outputs + 1))


def _max_of_pieces(y: np.ndarray, pieces: int) -> np.ndarray:
    """The maximum over ``pieces`` blocks of columns of ``y`` (thinc's maxout)."""
    width = y.shape[1] // pieces
    best = y[:, :width]
    for piece in range(1, pieces):
        best = np.maximum(best, y[:, piece * width : (piece + 1) * width])
    return best


@dataclass(frozen=True, slots=True)
class _Maxout:
    """thinc's ``Maxout(normalize=True)``: an affine map to ``pieces`` candidates per output,
    their maximum, then layer normalisation (the same operations on the same floats as
    thinc's, so the results are equal to the bit)."""

    weights: np.ndarray  # (pieces * outputs, inputs)
    bias: np.ndarray  # (pieces * outputs,)
    pieces: int
    gain: np.ndarray  # layer normalisation's G
    shift: np.ndarray  # layer normalisation's b

    def __call__(self, x: np.ndarray) -> np.ndarray:
        y = np.dot(x, self.weights.T)
        y += self.bias
        best = _max_of_pieces(y, self.pieces)
        # numpy's mean and var, without their Python-level plumbing: a sum along the row
        # divided by the width (a power of two: exact), then the mean squared deviation.
        width = best.shape[1]
        centred = best - np.add.reduce(best, axis=1, keepdims=True) / width
        variance = np.add.reduce(centred * centred, axis=1, keepdims=True) / width + 1e-08
        out: np.ndarray = centred * variance ** (-1.0 / 2.0) * self.gain
        out += self.shift
        return out


def _window(x: np.ndarray) -> np.ndarray:
    """Each row with the row before and after it (zeros beyond the ends): thinc's
    ``seq2col`` with a window of one."""
    zero = np.zeros((1, x.shape[1]), dtype=x.dtype)
    return np.concatenate(
        (np.concatenate((zero, x[:-1])), x, np.concatenate((x[1:], zero))), axis=1
    )


class NumpyNer:
    """Greedy entity recognition with the weights of a loaded spaCy ``ner`` component."""

    def __init__(self, component: Any, ops: Any) -> None:
        """Use :meth:`of`, which checks the architecture first."""
        model = component.model
        tok2vec, lower, upper = model.layers
        nodes = list(tok2vec.walk())
        self._ops = ops  # thinc's MurmurHash and gather-add, the functions training used
        self._columns: list[str] = list(_node(nodes, "extract_features").attrs["columns"])
        self._embeds = [
            _HashEmbed(n.attrs["column"], n.attrs["seed"], n.get_param("E"))
            for n in nodes
            if n.name == "hashembed"
        ]
        self._embed_mix, *self._encoder = [
            _Maxout(
                _piece_major(maxout.get_param("W"), 0).reshape(-1, maxout.get_dim("nI")),
                _piece_major(maxout.get_param("b"), 0).reshape(-1),
                maxout.get_dim("nP"),
                norm.get_param("G"),
                norm.get_param("b"),
            )
            # Breadth first: the embeddings' mix, then the encoder's blocks in order.
            for maxout, norm in (n.layers for n in nodes if n.name == "maxout>>layernorm")
        ]
        self._pad = len(self._encoder)  # thinc pads each document by the receptive field
        projection = tok2vec.layers[-1]  # the Linear after list2array
        self._projection = (projection.get_param("W"), projection.get_param("b"))
        pieces = lower.get_dim("nP")
        self._pieces = pieces
        # (features * pieces * hidden, inputs): one matrix per context feature, stacked.
        self._lower = _piece_major(lower.get_param("W"), 1).reshape(-1, lower.get_dim("nI"))
        self._lower_pad = _piece_major(lower.get_param("pad")[0], 1).reshape(3, -1)  # no token
        self._lower_bias = _piece_major(lower.get_param("b"), 0).reshape(-1)
        self._upper = (upper.get_param("W"), upper.get_param("b"))
        # The moves, in class order: B, I, L and U of each label, U of no label, O.
        moves = component.moves
        names = [moves.get_class_name(i).partition("-") for i in range(moves.n_moves)]
        self._moves = [move for move, _, _ in names]
        self._labels = [label for _, _, label in names]
        self._begins = np.array([move == _BEGIN for move in self._moves])
        self._units = np.array([move == _UNIT and label for move, _, label in names], dtype=bool)
        self._outs = np.array([move == _OUT for move in self._moves])
        # For an open entity of each label: its In and Last classes.
        self._inside = {label: i for i, (move, _, label) in enumerate(names) if move == _IN}
        self._last = {label: i for i, (move, _, label) in enumerate(names) if move == _LAST}

    @classmethod
    def of(cls, component: Any) -> NumpyNer | None:
        """A :class:`NumpyNer` for ``component`` if its model is the architecture this module
        computes, else None (spaCy's own path then runs it)."""
        from thinc.api import NumpyOps

        try:
            if not _known_architecture(component):
                return None
            return cls(component, NumpyOps())
        except (AttributeError, KeyError, ValueError, TypeError):
            return None

    def entities(self, docs: Sequence[Any]) -> list[list[tuple[int, int, str]]]:
        """Per document, its entities as (start character, end character, label)."""
        from spacy.attrs import IDX, IS_SPACE, LENGTH

        found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        tokens = [doc.to_array([*self._columns, IS_SPACE, IDX, LENGTH]) for doc in docs]
        full = [i for i, t in enumerate(tokens) if len(t)]
        if not full:
            return found
        width = len(self._columns)
        features = np.concatenate([tokens[i][:, :width] for i in full])
        vectors = self._tok2vec(features, [len(tokens[i]) for i in full])
        context = np.dot(vectors, self._lower.T)  # (tokens, features * hidden * pieces)
        context = context.reshape(len(vectors), 3, -1)
        offset = 0
        for i in full:
            rows = tokens[i]
            n = len(rows)
            spans = self._decode(context[offset : offset + n], rows[:, width] != 0)
            offset += n
            starts, lengths = rows[:, width + 1], rows[:, width + 2]
            found[i] = [
                (int(starts[a]), int(starts[b - 1] + lengths[b - 1]), label)
                for a, b, label in spans
            ]
        return found

    def _tok2vec(self, features: np.ndarray, lengths: list[int]) -> np.ndarray:
        """The token vectors of the documents whose features are stacked in ``features``."""
        ops = self._ops
        embedded = np.hstack(
            [
                ops.gather_add(
                    e.table,
                    ops.hash(np.ascontiguousarray(features[:, e.column]), e.seed)
                    % e.table.shape[0],
                )
                for e in self._embeds
            ]
        )
        mixed = self._embed_mix(embedded)
        # The encoder reads each document with `pad` zero rows before and after it, as
        # thinc's with_array lays them out; the windows never reach across documents.
        pad = np.zeros((self._pad, mixed.shape[1]), dtype=mixed.dtype)
        parts = [pad]
        start = 0
        for n in lengths:
            parts += [mixed[start : start + n], pad]
            start += n
        x = np.concatenate(parts)
        for block in self._encoder:
            x = x + block(_window(x))
        if len(lengths) == 1:
            x = x[self._pad : -self._pad]
        else:
            firsts = [self._pad * (k + 1) + before for k, before in enumerate(_starts(lengths))]
            x = np.concatenate([x[a : a + n] for a, n in zip(firsts, lengths, strict=True)])
        weights, bias = self._projection
        y: np.ndarray = np.dot(x, weights.T)
        y += bias
        return y

    def _hidden(self, unmaxed: np.ndarray) -> np.ndarray:
        """Scores of the moves from the summed context features of states."""
        unmaxed = unmaxed + self._lower_bias
        hidden = _max_of_pieces(unmaxed, self._pieces)
        weights, bias = self._upper
        scores: np.ndarray = np.dot(hidden, weights.T)
        scores += bias
        return scores

    def _decode(self, context: np.ndarray, is_space: np.ndarray) -> list[tuple[int, int, str]]:
        """Greedy BILUO decoding of one document: (start token, end token, label) spans.

        A token outside an entity is scored from its own features and the two "no token"
        paddings, for all tokens at once; a token inside an open entity also from the
        entity's first token and the token before it, one at a time (entities are short)."""
        n = len(context)
        pad = self._lower_pad
        outside = self._hidden((context[:, 0] + pad[1]) + pad[2])
        valid = np.tile(self._outs, (n, 1))
        can_start = ~is_space
        valid |= np.outer(can_start, self._units)
        valid |= np.outer(can_start & (np.arange(n) < n - 1), self._begins)
        choice = np.where(valid, outside, -np.inf).argmax(axis=1).tolist()
        moves, labels = self._moves, self._labels
        spans: list[tuple[int, int, str]] = []
        token = 0
        while token < n:
            move = moves[choice[token]]
            label = labels[choice[token]]
            if move == _UNIT:
                spans.append((token, token + 1, label))
            if move != _BEGIN:
                token += 1
                continue
            first = token
            token += 1
            inside, last = self._inside[label], self._last[label]
            while True:
                scores = self._hidden(
                    ((context[token, 0] + context[first, 1]) + context[token - 1, 2])[None, :]
                )[0]
                # In needs a token after this one; Last is always allowed. The best score
                # wins, the class listed first on a tie (as spaCy's arg_max_if_valid).
                allowed = [inside, last] if token < n - 1 else [last]
                best = max(allowed, key=lambda move: (scores[move], -move))
                token += 1
                if best == last:
                    spans.append((first, token, label))
                    break
        return spans


def _starts(lengths: list[int]) -> list[int]:
    """Where each of consecutive runs of these lengths starts."""
    starts, total = [], 0
    for n in lengths:
        starts.append(total)
        total += n
    return starts


def _node(nodes: list[Any], name: str) -> Any:
    for node in nodes:
        if node.name == name:
            return node
    raise KeyError(name)


def _encoder_name(depth: int) -> str:
    """The name thinc gives ``spacy.MaxoutWindowEncoder.v2``'s blocks of this depth."""
    return ">>".join(["residual(expand_window>>maxout>>layernorm>>dropout)"] * depth)


def _tok2vec_name(embeddings: int, depth: int) -> str:
    """The name thinc gives ``spacy.Tok2Vec.v2`` (``MultiHashEmbed.v2`` without static
    vectors, then the encoder) followed by the parser's projection."""
    embeds = "|".join(["ints-getitem>>hashembed"] * embeddings)
    return (
        f"extract_features>>list2ragged>>with_array({embeds})>>"
        "with_array(maxout>>layernorm>>dropout)>>ragged2list>>"
        f"with_array({_encoder_name(depth)})>>list2array>>linear"
    )


def _known_architecture(component: Any) -> bool:
    """Whether ``component`` is a greedy NER whose model this module computes exactly:
    ``TransitionBasedParser.v2`` for NER (three context features, an upper layer, every
    class seen in training) over the tok2vec of :func:`_tok2vec_name`, windows of one."""
    model = component.model
    if (
        type(component).__name__ != "EntityRecognizer"
        or component.cfg.get("beam_width", 1) != 1
        or model.attrs.get("unseen_classes")
        or not model.attrs.get("has_upper")
        or [layer.name for layer in model.layers[1:]] != ["precomputable_affine", "linear"]
        or model.layers[1].get_dim("nF") != 3
    ):
        return False
    tok2vec = model.layers[0]
    nodes = list(tok2vec.walk())
    windows = [n.attrs.get("window_size") for n in nodes if n.name == "expand_window"]
    embeds = [n for n in nodes if n.name == "hashembed"]
    mixes = [n for n in nodes if n.name == "maxout>>layernorm"]
    depth = len(windows)
    return (
        tok2vec.name == _tok2vec_name(len(embeds), depth)
        and windows == [1] * depth
        and len(mixes) == depth + 1
        and mixes[0].get_dim("nI") == sum(e.get_dim("nO") for e in embeds)
        and len(_node(nodes, "extract_features").attrs["columns"]) == len(embeds)
        and _node(nodes, f"with_array({_encoder_name(depth)})").attrs["pad"] == depth
    )
