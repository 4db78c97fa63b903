"""``pii_mapper.batch`` on a real LocalCluster with the real model: each worker process
loads the spaCy model once, however many partitions it masks, and the records are those
of the run without Dask."""

from __future__ import annotations

import json

import pytest

import pii_mapper as pm
from pii_mapper.batch import DaskMasker, InputLine, MaskFileOptions, dask_client, mask_line
from tests.dask_support import count_model_loads, model_loads

pytestmark = pytest.mark.integration

KEY = b"k" * 32
OPTIONS = MaskFileOptions(headers=(("X-Pii-Mapping", "person=mask, email=mask, ssn=hash"),))
PEOPLE = ["Ada Lovelace", "Maria Gonzalez", "John Smith", "Grace Hopper", "Alan Turing"]


def _lines(count: int) -> list[InputLine]:
    lines = []
    for n in range(count):
        name = PEOPLE[n % len(PEOPLE)]
        messages = [
            {"role": "user", "content": f"Hello, my name is {name} and my SSN is 536-22-8726."},
            {"role": "assistant", "content": f"Thanks {name}, noted."},
            {"role": "user", "content": f"Write to {name.split()[0].lower()}@example.com."},
        ]
        raw = (json.dumps({"id": n, "messages": messages}) + "\n").encode()
        lines.append(InputLine(None, n + 1, raw))
    return lines


def test_each_worker_loads_the_model_once_and_masks_as_the_plain_run() -> None:
    lines = _lines(12)
    expected = [mask_line(line, pm.PiiMapper(hash_key=KEY), OPTIONS) for line in lines]
    assert "<PERSON_1>" in json.dumps(expected[0])  # the real model found the name
    with dask_client(workers=2) as client:
        client.wait_for_workers(2, timeout=120)
        client.run(count_model_loads)
        with DaskMasker(client, pm.PiiMapper(hash_key=KEY), OPTIONS) as masker:
            records = list(masker.mask_lines(lines, partition_lines=2))
            states = masker.worker_states()
        loads = client.run(model_loads)
    assert records == expected
    assert sum(state.partitions for state in states.values()) == 6
    assert max(state.partitions for state in states.values()) > 1
    for address, state in states.items():
        assert len(loads[address]) == (1 if state.partitions else 0), loads[address]
