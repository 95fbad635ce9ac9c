"""`manage.py classify_language`: sentences from files or standard input, a table or JSON, clear refusals."""

import io
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command


def run(*args):
    out = StringIO()
    call_command("classify_language", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


def test_json_is_one_object_per_sentence_in_input_order(tmp_path):
    path = write(tmp_path, "s.txt", "Magnesium may not reduce pain.\n\n   \nZinc is linked to sleep.\nHello there.\n")
    assert json.loads(run(path, "--json")) == [
        {
            "text": "Magnesium may not reduce pain.",
            "strength": "conditional_causal",
            "cues": [{"text": "may not reduce", "start": 10, "end": 24}],
        },
        {
            "text": "Zinc is linked to sleep.",
            "strength": "correlational",
            "cues": [{"text": "linked to", "start": 8, "end": 17}],
        },
        {"text": "Hello there.", "strength": "no_relationship", "cues": []},
    ]


def test_each_cue_indexes_its_sentence(tmp_path):
    path = write(tmp_path, "s.txt", "  Café magnesium clearly reduces cramps.  \nIt may help, studies suggest.\n")
    for reading in json.loads(run(path, "--json")):
        assert reading["cues"]
        assert all(reading["text"][c["start"] : c["end"]] == c["text"] for c in reading["cues"])


def test_files_are_read_in_the_order_given(tmp_path):
    first = write(tmp_path, "a.txt", "First reduces pain.\n")
    second = write(tmp_path, "b.txt", "Second is linked to pain.\r\n")
    assert [r["text"] for r in json.loads(run(second, first, "--json"))] == [
        "Second is linked to pain.",
        "First reduces pain.",
    ]


@pytest.mark.parametrize("args", [("-",), ()])
def test_standard_input_is_read_with_a_dash_or_no_file(monkeypatch, args):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Magnésium cures neuropathy.\n".encode())))
    assert json.loads(run(*args, "--json")) == [
        {
            "text": "Magnésium cures neuropathy.",
            "strength": "direct_causal",
            "cues": [{"text": "cures", "start": 10, "end": 15}],
        }
    ]


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", "\ufeff".encode()])
def test_empty_input_gives_an_empty_array(tmp_path, data):
    assert json.loads(run(write(tmp_path, "empty.txt", data), "--json")) == []


def test_a_byte_order_mark_is_not_part_of_the_first_sentence(tmp_path):
    path = write(tmp_path, "bom.txt", "\ufeffMagnesium reduces pain.\n")
    assert json.loads(run(path, "--json"))[0]["text"] == "Magnesium reduces pain."


def test_the_table_shows_strength_cues_and_notes(tmp_path):
    path = write(tmp_path, "s.txt", "Magnesium did not reduce pain in mice.\nDoes it work?\n")
    out = run(path)
    assert "Direct causal" in out and "Magnesium did not reduce pain in mice." in out
    assert "“not reduce” 14–24 · negated · speaks of animals" in out
    assert "No relationship stated" in out
    assert out.rstrip().endswith("2 sentence(s): 1 direct causal, 1 no relationship stated.")


def test_the_table_of_no_sentences_says_so(tmp_path):
    assert run(write(tmp_path, "empty.txt", "")).strip() == "No sentences."


def test_a_file_that_is_not_utf8_is_refused_with_exit_status_2(tmp_path):
    path = write(tmp_path, "latin1.txt", "Magnesium reduces pain.\nCaf\xe9 owners agree.\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin1\.txt is not UTF-8 text \(byte 0xe9 at offset 27\)") as error:
        run(path, "--json")
    assert error.value.returncode == 2


def test_binary_data_is_refused_with_exit_status_2(tmp_path):
    with pytest.raises(CommandError, match="is not text") as error:
        run(write(tmp_path, "data.bin", b"abc\x00def\n"))
    assert error.value.returncode == 2


def test_a_missing_file_is_refused_with_exit_status_2(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*nowhere.txt") as error:
        run(str(tmp_path / "nowhere.txt"))
    assert error.value.returncode == 2


def test_the_process_exits_with_status_2_and_writes_no_output(tmp_path):
    path = write(tmp_path, "latin1.txt", b"caf\xe9\n")
    result = subprocess.run(  # noqa: S603 -- this interpreter and this project's manage.py
        [sys.executable, "manage.py", "classify_language", path, "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert "is not UTF-8 text" in result.stderr
