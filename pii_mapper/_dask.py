"""The worker side of :mod:`pii_mapper.batch`: the worker plugin and the task functions.

This is the only module that imports Dask at module level; :mod:`pii_mapper.batch` imports
it on first use, so ``import pii_mapper`` never loads Dask. Workers import it by name when
they unpickle the plugin and the tasks, so ``pii_mapper`` must be installed on every worker.

The plugin carries one pickled :class:`~pii_mapper.mapper.PiiMapper` (its detector
configuration and hash key, never a loaded model) and the :class:`~pii_mapper.batch.
MaskFileOptions`. The scheduler hands it to each worker once, and to every worker that joins
later (a replacement for one that died). Each worker process thus holds one mapper, which
loads the model on its first task and keeps it for every partition after.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin, get_worker

from pii_mapper.errors import PiiMapperError

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Worker

    from pii_mapper.batch import InputLine, MaskFileOptions
    from pii_mapper.mapper import PiiMapper

__all__ = [
    "MapperPlugin",
    "mask_conversation_partition",
    "mask_line_partition",
    "mask_message_partition",
    "plugin_of",
]


class MapperPlugin(WorkerPlugin):
    """One :class:`PiiMapper` and the mask options, kept by a worker process.

    ``partitions`` counts the partitions this worker masked (for tests and diagnostics).
    """

    def __init__(self, name: str, mapper: PiiMapper, options: MaskFileOptions) -> None:
        self.name = name
        self.mapper = mapper
        self.options = options
        self.partitions = 0
        self._lock: threading.Lock | None = None

    def __repr__(self) -> str:  # no key, no header value
        return f"MapperPlugin(name={self.name!r}, mapper={self.mapper!r})"

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_lock"] = None  # a lock does not pickle; each worker makes its own in setup()
        return state

    def setup(self, worker: Worker) -> None:
        self.partitions = 0
        self._lock = threading.Lock()

    def count_partition(self) -> None:
        """One more partition done (a worker may run several tasks at once, in threads)."""
        if self._lock is None:
            self._lock = threading.Lock()
        with self._lock:
            self.partitions += 1

    def teardown(self, worker: Worker) -> None:
        # Unregistering the plugin frees the model of this configuration on the worker.
        del self.mapper


def plugin_of(name: str, worker: Worker | None = None) -> MapperPlugin:
    """The plugin ``name`` of ``worker``, by default the worker running the current task."""
    if worker is None:
        try:
            worker = get_worker()
        except ValueError:
            raise RuntimeError(
                "pii_mapper's Dask tasks run on a distributed worker: compute the collection "
                "with the distributed Client that the DaskMasker was made with"
            ) from None
    plugin = worker.plugins.get(name)
    if not isinstance(plugin, MapperPlugin):
        raise RuntimeError(f"worker {worker.address} has no pii_mapper plugin {name!r}")
    return plugin


def mask_line_partition(lines: Sequence[InputLine], name: str) -> list[dict[str, Any]]:
    """The output records of a run of input lines, in their order."""
    from pii_mapper.batch import mask_line

    plugin = plugin_of(name)
    records = [mask_line(line, plugin.mapper, plugin.options) for line in lines]
    plugin.count_partition()
    return records


def mask_conversation_partition(conversations: Sequence[object], name: str) -> list[dict[str, Any]]:
    """The records of a partition of a bag of decoded conversations, in their order."""
    from pii_mapper.batch import mask_conversation

    plugin = plugin_of(name)
    records = [mask_conversation(item, plugin.mapper, plugin.options) for item in conversations]
    plugin.count_partition()
    return records


def mask_message_partition(messages: pd.Series[Any], name: str) -> pd.DataFrame:
    """One partition of a column of messages: each message masked alone, as a conversation
    of one message, into the columns ``text``, ``mapping_header`` and ``error``."""
    import pandas as pd

    from pii_mapper.headers import parse_headers

    plugin = plugin_of(name)
    options = plugin.options
    policy = parse_headers(
        options.headers, options.seal_key, conversation_id=options.conversation_id
    )
    texts: list[str | None] = []
    headers: list[str | None] = []
    errors: list[str | None] = []
    for message in messages:
        if not isinstance(message, str):  # a missing value (None, NaN) or not a text
            texts.append(None)
            headers.append(None)
            errors.append("not_text")
            continue
        try:
            result = plugin.mapper.mask(message, policy)
            header = result.mapping.to_header(
                options.seal_key, conversation_id=options.conversation_id
            )
        except PiiMapperError as exc:
            texts.append(None)
            headers.append(None)
            errors.append(exc.code)
        else:
            texts.append(result.text)
            headers.append(header)
            errors.append(None)
    plugin.count_partition()
    return pd.DataFrame(
        {"text": texts, "mapping_header": headers, "error": errors},
        index=messages.index,
        dtype=object,
    )
