"""Masking chat logs in bulk, in one process or on a Dask cluster (docs/batch.md).

A chat log is JSON Lines: one conversation per line, ``{"id": …, "messages": [...],
"headers": {…}}`` or a bare list of messages. :func:`mask_line` turns one input line into
its output record (the masked conversation, or an error record), as ``pii-mapper mask-file``
writes it; :func:`mask_conversation` does the same for a conversation already decoded.

On Dask (the ``pii-mapper[dask]`` extra), :class:`DaskMasker` ships one
:class:`~pii_mapper.mapper.PiiMapper` — its detector configuration and hash key, never a
loaded model — and the :class:`MaskFileOptions` to every worker process once, as a worker
plugin; each worker keeps that one mapper, so it loads the model once, on its first task,
however many partitions it masks. It masks a Dask bag of conversations, a Dask series of
messages, or a stream of input lines (in order, with progress, surviving the loss of a
worker). :func:`masked_records` is what the command line calls: with neither ``workers``
nor ``scheduler`` it runs in this process, without Dask.

Importing this module does not import Dask; using the Dask parts does.
"""

from __future__ import annotations

import glob
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from pii_mapper.chat import json_type_name, messages_problem
from pii_mapper.errors import ClusterError, PiiHeaderError, PiiInputError, PiiMapperError
from pii_mapper.headers import parse_headers
from pii_mapper.mapper import PiiMapper

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    from distributed import Client, Future

__all__ = [
    "DEFAULT_PARTITION_LINES",
    "DaskMasker",
    "InputFiles",
    "InputLine",
    "MaskFileOptions",
    "WorkerState",
    "dask_client",
    "mask_conversation",
    "mask_line",
    "masked_records",
]

DEFAULT_PARTITION_LINES = 100

Record = dict[str, Any]
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class MaskFileOptions:
    """What applies to every conversation of a batch besides its own headers.

    ``headers`` are (name, value) pairs, as the command line's ``-H``; a conversation's own
    ``headers`` replace those of the same name. ``seal_key`` opens sealed history mappings
    and seals the output mappings (bound to ``conversation_id`` if given); with a key, only
    sealed history mappings are accepted unless ``allow_unsealed``. Neither the
    headers (a history mapping holds originals) nor the key appear in the repr.
    """

    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    seal_key: bytes | str | None = field(default=None, repr=False)
    conversation_id: str | None = None
    allow_unsealed: bool = False


class WorkerState(NamedTuple):
    """A worker's mapper (a copy) and the number of partitions it masked."""

    mapper: PiiMapper
    partitions: int


class InputLine(NamedTuple):
    """One line of input: its file (named only when the input is a glob), its 1-based
    number in that file, and its bytes as read."""

    file: str | None
    number: int
    raw: bytes


@dataclass(frozen=True, slots=True)
class InputFiles:
    """The files of an input argument: ``-`` (stdin), one path, or a glob of paths.

    A glob's files are read in sorted order, and each record names its file (``"file"``)
    as well as its line; one path's records name only the line, as they always have.
    """

    paths: tuple[str, ...]
    named: bool

    @classmethod
    def of(cls, pattern: str) -> InputFiles:
        """The input ``pattern`` names; :class:`PiiInputError` if a glob matches no file or a
        file cannot be opened (the error names the path, which is the caller's own)."""
        if pattern == "-":
            return cls(("-",), named=False)
        if os.path.exists(pattern) or not glob.has_magic(pattern):
            paths, named = [pattern], False
        else:
            paths = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
            named = True
            if not paths:
                raise PiiInputError(f"no file matches {pattern!r}", code="no_input_files")
        for path in paths:
            try:
                with open(path, "rb"):
                    pass
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                raise PiiInputError(f"cannot read {path!r}: {reason}", code="unreadable") from None
        return cls(tuple(paths), named)

    def count_lines(self) -> int | None:
        """How many lines the files hold (None for stdin): the progress bar's total."""
        if self.paths == ("-",):
            return None
        total = 0
        for path in self.paths:
            with open(path, "rb") as handle:
                total += sum(1 for _ in handle)
        return total

    def lines(self) -> Iterator[InputLine]:
        """Every line of every file, in order, read lazily."""
        for path in self.paths:
            name = path if self.named else None
            if path == "-":
                buffer = getattr(sys.stdin, "buffer", None)
                source: Iterable[bytes] = (
                    buffer if buffer is not None else (s.encode("utf-8") for s in sys.stdin)
                )
                yield from (InputLine(name, n, raw) for n, raw in enumerate(source, start=1))
                continue
            with open(path, "rb") as handle:
                yield from (InputLine(name, n, raw) for n, raw in enumerate(handle, start=1))


# --- one line, one conversation -------------------------------------------------------------


class _LineError(Exception):
    """A line that cannot be processed; ``code`` is a stable slug."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def mask_line(line: InputLine, mapper: PiiMapper, options: MaskFileOptions) -> Record:
    """The output record of one input line: ``{"line": n, "id": …, "messages": [...],
    "mapping_header": …, "counts": {…}}``, or ``{"line": n, "error": {…}}`` if it failed
    (``"file"`` first when the input was a glob). Only the library's own errors become
    error records; anything else (a bug) propagates."""
    record: Record = {} if line.file is None else {"file": line.file}
    record["line"] = line.number
    try:
        value = _decoded_line(line.raw)
    except _LineError as exc:
        record["error"] = _invalid(exc)
        return record
    record.update(mask_conversation(value, mapper, options))
    return record


def mask_conversation(conversation: object, mapper: PiiMapper, options: MaskFileOptions) -> Record:
    """The record of one decoded conversation (an object with ``messages``, or a list of
    messages; a JSON line as ``str`` or ``bytes`` is decoded first), without a line number."""
    if isinstance(conversation, str | bytes):
        try:
            raw = conversation.encode("utf-8") if isinstance(conversation, str) else conversation
            conversation = _decoded_line(raw)
        except _LineError as exc:
            return {"error": _invalid(exc)}
        except UnicodeEncodeError:  # a lone surrogate in a str
            return {"error": _invalid(_LineError("not valid Unicode", "not_utf8"))}
    if not isinstance(conversation, dict | list):
        problem = _LineError(
            f'expected an object {{"messages": [...]}} or a list of messages, got '
            f"{json_type_name(conversation)}",
            "bad_shape",
        )
        return {"error": _invalid(problem)}
    value = conversation if isinstance(conversation, dict) else {"messages": conversation}
    record: Record = {}
    if "id" in value:
        record["id"] = value["id"]
    try:
        record.update(_masked(value, mapper, options))
    except _LineError as exc:
        record["error"] = _invalid(exc)
    except PiiMapperError as exc:
        record["error"] = {"type": type(exc).__name__, "code": exc.code, "message": str(exc)}
        if isinstance(exc, PiiHeaderError):
            record["error"]["header"] = exc.header
    return record


def _invalid(exc: _LineError) -> dict[str, str]:
    return {"type": "InvalidLine", "code": exc.code, "message": str(exc)}


def _decoded_line(raw: bytes) -> object:
    try:
        text = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise _LineError(f"not UTF-8 (byte {exc.start})", "not_utf8") from None
    if not text.strip():
        raise _LineError("the line is empty", "empty_line")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _LineError(f"not JSON ({exc.msg} at column {exc.colno})", "bad_json") from None


def _masked(conversation: dict[str, Any], mapper: PiiMapper, options: MaskFileOptions) -> Record:
    messages = conversation.get("messages")
    problem = messages_problem(messages, allow_empty=False)
    if problem is not None:
        raise _LineError(f"'messages': {problem}", "bad_messages")
    assert isinstance(messages, list)
    headers = conversation.get("headers", {})
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise _LineError("'headers' must be an object of string values", "bad_headers")
    named = {name.casefold() for name in headers}
    pairs = [(n, v) for n, v in options.headers if n.casefold() not in named]
    pairs.extend(headers.items())
    policy = mapper.parse_headers(
        pairs,
        options.seal_key,
        conversation_id=options.conversation_id,
        allow_unsealed=options.allow_unsealed,
    )
    result = mapper.mask_messages(messages, policy)
    return {
        "messages": [dict(m) for m in result.messages],
        "mapping_header": result.mapping.to_header(
            options.seal_key, conversation_id=options.conversation_id
        ),
        "counts": dict(result.counts),
    }


# --- the command line's entry point -----------------------------------------------------------


@contextmanager
def masked_records(
    lines: Iterable[InputLine],
    mapper: PiiMapper,
    options: MaskFileOptions,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    partition_lines: int = DEFAULT_PARTITION_LINES,
    progress: Progress | None = None,
) -> Iterator[Iterator[Record]]:
    """The records of ``lines``, in input order, one per line.

    With neither ``workers`` nor ``scheduler`` they are masked here, one after the other.
    With ``workers=N`` on a local cluster of N worker processes (started here and stopped on
    exit), with ``scheduler="tcp://HOST:PORT"`` on a running cluster; either way the records
    are the same, byte for byte once serialised. ``progress(n)`` is called as ``n`` more
    lines are done (on Dask, as each partition completes, in any order).
    """
    if workers is None and scheduler is None:
        yield _plain(lines, mapper, options, progress)
        return
    with (
        dask_client(workers=workers, scheduler=scheduler) as client,
        DaskMasker(client, mapper, options) as masker,
    ):
        yield masker.mask_lines(lines, partition_lines=partition_lines, progress=progress)


def _plain(
    lines: Iterable[InputLine],
    mapper: PiiMapper,
    options: MaskFileOptions,
    progress: Progress | None,
) -> Iterator[Record]:
    for line in lines:
        record = mask_line(line, mapper, options)
        if progress is not None:
            progress(1)
        yield record


@contextmanager
def dask_client(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Client]:
    """A Dask client: of a new local cluster of ``workers`` processes (one thread each, no
    dashboard; closed on exit), or of the running cluster at ``scheduler``."""
    if (workers is None) == (scheduler is None):
        raise ValueError("give either workers (a local cluster) or scheduler (an address)")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    distributed = _import_distributed()
    with ExitStack() as stack:
        if scheduler is not None:
            try:
                client = stack.enter_context(distributed.Client(scheduler))
            except (OSError, TimeoutError) as exc:  # refused, unresolvable, timed out
                raise ClusterError(
                    f"cannot reach the Dask scheduler at {scheduler!r} "
                    f"({type(exc).__name__}); is `dask scheduler` running there?",
                    code="cluster_unavailable",
                ) from None
        else:
            # One thread per process: masking is CPU-bound Python, so processes, not threads,
            # are what run in parallel. No dashboard (it needs bokeh); the scheduler's HTTP
            # endpoints (health, metrics) still listen, on a free port rather than on 8787,
            # which another cluster (or run) on this machine may hold.
            # Nor the workers' statistical profiler: it samples every task's stack every 10 ms
            # for that dashboard, CPU taken from masking. The nannies keep this configuration
            # for the workers they restart.
            import dask.config

            stack.enter_context(dask.config.set({"distributed.worker.profile.enabled": False}))
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                )
            )
            client = stack.enter_context(distributed.Client(cluster))
        yield client


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ImportError(
            "running on Dask needs the dask extra: pip install 'pii-mapper[dask]'"
        ) from None
    return distributed


# --- Dask -----------------------------------------------------------------------------------


class DaskMasker:
    """Masks conversations on the Dask cluster of ``client``, one :class:`PiiMapper` per
    worker process.

    ``mapper`` (default ``PiiMapper()``, whose random hash key is drawn here, once, so that
    every worker hashes alike) is pickled without any loaded model and sent with ``options``
    to each worker as a worker plugin; a worker that joins later gets it too. Bad
    ``options.headers`` raise here, before any work. Use it as a context manager, or call
    :meth:`close` to remove the plugin (and the models it loaded) from the workers.

    The collections it returns compute on this client's cluster only (the tasks find the
    mapper on their worker).
    """

    def __init__(
        self,
        client: Client,
        mapper: PiiMapper | None = None,
        options: MaskFileOptions | None = None,
    ) -> None:
        from pii_mapper import _dask

        options = options if options is not None else MaskFileOptions()
        parse_headers(
            options.headers,
            options.seal_key,
            conversation_id=options.conversation_id,
            allow_unsealed=options.allow_unsealed,
        )
        self._client = client
        self._name = f"pii-mapper-{uuid.uuid4().hex}"
        mapper = mapper if mapper is not None else PiiMapper()
        plugin = _dask.MapperPlugin(self._name, mapper, options)
        client.register_plugin(plugin, name=self._name)
        self._closed = False

    @property
    def name(self) -> str:
        """The worker plugin's name (unique to this masker)."""
        return self._name

    def __enter__(self) -> DaskMasker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the plugin from the workers; a no-op if the cluster is already gone."""
        if self._closed:
            return
        self._closed = True
        if self._client.status == "running":
            # Dask's own methods below lack annotations: hence the no-untyped-call ignores.
            self._client.unregister_worker_plugin(self._name)  # type: ignore[no-untyped-call]

    def worker_states(self) -> dict[str, WorkerState]:
        """What each worker holds for this masker, by worker address: a copy of its mapper
        (as pickled: configuration, no model) and how many partitions it masked."""
        name = self._name

        def fetch(dask_worker: Any) -> WorkerState:  # Dask passes the worker by this name
            from pii_mapper._dask import plugin_of

            plugin = plugin_of(name, dask_worker)
            return WorkerState(plugin.mapper, plugin.partitions)

        result: dict[str, WorkerState] = self._client.run(fetch)
        return result

    def mask_bag(self, conversations: dask.bag.Bag) -> dask.bag.Bag:
        """A bag of the records of ``conversations`` (decoded conversations or JSON lines),
        item for item, in order: :func:`mask_conversation` on the workers."""
        from pii_mapper._dask import mask_conversation_partition

        bag: dask.bag.Bag = conversations.map_partitions(  # type: ignore[no-untyped-call]
            mask_conversation_partition, self._name
        )
        return bag

    def mask_series(self, messages: dask.dataframe.Series) -> dask.dataframe.DataFrame:
        """Each message of a column masked alone (a conversation of one message): a frame
        with the same index and the columns ``text`` (masked; None where it failed),
        ``mapping_header`` and ``error`` (the error's code, or None; ``not_text`` for a
        missing value)."""
        import pandas as pd

        from pii_mapper._dask import mask_message_partition

        meta = pd.DataFrame(
            {name: pd.Series([], dtype=object) for name in ("text", "mapping_header", "error")}
        )
        frame: dask.dataframe.DataFrame = messages.map_partitions(  # type: ignore[no-untyped-call]
            mask_message_partition, self._name, meta=meta
        )
        return frame

    def mask_lines(
        self,
        lines: Iterable[InputLine],
        *,
        partition_lines: int = DEFAULT_PARTITION_LINES,
        progress: Progress | None = None,
    ) -> Iterator[Record]:
        """The records of ``lines``, in input order, as :func:`mask_line` makes them.

        Lines are read lazily and sent in partitions of ``partition_lines``, a bounded
        number in flight; records are yielded as soon as every earlier partition is done.
        A worker that dies is replaced and its partitions run again (Dask retries them). A
        partition that kills workers every time it runs is masked again line by line, and
        a line that still kills its worker becomes an error record (``worker_died``), so
        that no line is lost or repeated.
        """
        if partition_lines < 1:
            raise ValueError(f"partition_lines must be at least 1, got {partition_lines}")
        distributed = _import_distributed()
        from distributed.comm.core import CommClosedError

        from pii_mapper._dask import mask_line_partition

        workers = len(self._client.scheduler_info().get("workers", {}))
        in_flight = 4 * max(workers, 1)
        run = uuid.uuid4().hex
        chunks = enumerate(_chunks(lines, partition_lines))
        pending: dict[Future[list[Record]], tuple[int, list[InputLine]]] = {}
        done: dict[int, list[Record]] = {}
        completed = distributed.as_completed()

        def submit() -> bool:
            for index, chunk in chunks:
                future = self._client.submit(
                    mask_line_partition, chunk, self._name, key=f"pii-mapper-{run}-{index}"
                )
                pending[future] = (index, chunk)
                completed.add(future)
                return True
            return False

        while len(pending) < in_flight and submit():
            pass
        following = 0
        try:
            for future in completed:
                index, chunk = pending.pop(future)
                try:
                    records = future.result()
                except distributed.KilledWorker:
                    records = self._line_by_line(chunk, f"pii-mapper-{run}-{index}")
                except (CommClosedError, CancelledError) as exc:
                    raise _lost(exc) from None
                done[index] = records
                future.release()
                if progress is not None:
                    progress(len(chunk))
                submit()
                while following in done:
                    yield from done.pop(following)
                    following += 1
        finally:
            for future in pending:
                future.cancel()  # type: ignore[no-untyped-call]

    def _line_by_line(self, chunk: Sequence[InputLine], key: str) -> list[Record]:
        distributed = _import_distributed()
        from distributed.comm.core import CommClosedError

        from pii_mapper._dask import mask_line_partition

        # One line at a time: a line that kills its worker must not take down another line
        # running beside it (Dask would count that death against the innocent line too).
        records: list[Record] = []
        for i, line in enumerate(chunk):
            future = self._client.submit(mask_line_partition, [line], self._name, key=f"{key}-{i}")
            try:
                records.extend(future.result())
            except (CommClosedError, CancelledError) as exc:
                raise _lost(exc) from None
            except distributed.KilledWorker:
                record: Record = {} if line.file is None else {"file": line.file}
                record["line"] = line.number
                record["error"] = {
                    "type": "WorkerDied",
                    "code": "worker_died",
                    "message": "the Dask worker masking this line died each time it was tried",
                }
                records.append(record)
        return records


def _lost(exc: BaseException) -> ClusterError:
    return ClusterError(
        f"the Dask cluster was lost during the run ({type(exc).__name__}); "
        "the output stops at the last line written",
        code="cluster_lost",
    )


def _chunks(lines: Iterable[InputLine], size: int) -> Iterator[list[InputLine]]:
    chunk: list[InputLine] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
