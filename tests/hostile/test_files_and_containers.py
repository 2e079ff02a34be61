"""Issue 16, findings 3 and 4: zip-bomb .docx files, and things that are not regular files."""

from __future__ import annotations

import contextlib
import io
import os
import threading
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimdesk.cli import main
from claimdesk.core.importer import MAX_TEXT_CHARS, MAX_UNPACKED, ImportProblem, read_article


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _inflate(data: bytes, member: str, extra: bytes) -> bytes:
    """The same .docx with ``extra`` appended inside one part (deflated, so the file stays small)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == member:
                body = body.replace(b"</w:body>", extra + b"</w:body>")
            dst.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def test_zip_bomb_docx_is_refused_in_one_line(tmp_path):
    base = _docx_bytes(["The council spent £12m on roads."])
    para = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    bomb = _inflate(base, "word/document.xml", para * (MAX_UNPACKED // 1000 + 1000))
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    assert path.stat().st_size < 1024 * 1024  # small on disk
    with pytest.raises(ImportProblem) as problem:
        read_article(path)
    assert "unpacks to" in str(problem.value) and "\n" not in str(problem.value)


def test_docx_with_too_much_text_is_refused(tmp_path, monkeypatch):
    import claimdesk.core.importer as importer

    monkeypatch.setattr(importer, "MAX_TEXT_CHARS", 50_000)
    path = tmp_path / "long.docx"
    path.write_bytes(_docx_bytes(["The council spent £12m on roads. " * 30] * 100))
    with pytest.raises(ImportProblem, match="million characters|characters of text"):
        read_article(path)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(repeat=st.integers(1, 400_000), member=st.sampled_from(["word/document.xml", "docProps/core.xml", "x.bin"]),
       stored=st.booleans())
def test_compressed_containers_never_crash(tmp_path, repeat, member, stored):
    """Any .docx whose parts are padded with highly compressible bytes: an Article or one clear line."""
    base = _docx_bytes(["More than 2,000 homes were evacuated."])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = [i.filename for i in src.infolist()]
        for name in names:
            body = src.read(name)
            if name == member:
                body = body.replace(b"</w:body>", b"<w:p><w:r><w:t>" + b"0" * repeat + b"</w:t></w:r></w:p></w:body>")
            dst.writestr(name, body, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        if member not in names:
            dst.writestr(member, b"\0" * repeat * 100)
    path = tmp_path / "c.docx"
    path.write_bytes(out.getvalue())
    try:
        article = read_article(path)
    except ImportProblem as problem:
        assert "\n" not in str(problem)
    else:
        assert len(article.text) <= MAX_TEXT_CHARS


def _run_cli(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


def _within(seconds, fn):
    result = {}

    def run():
        try:
            result["r"] = fn()
        except BaseException as exc:  # handed to the test's thread
            result["e"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "still reading after %s s" % seconds
    if "e" in result:
        raise result["e"]
    return result["r"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    with pytest.raises(ImportProblem, match="device"):
        _within(10, lambda: read_article(device))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ImportProblem, match="FIFO"):
        _within(10, lambda: read_article(fifo))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", ["import", "analyze", "checkworthy"])
def test_commands_refuse_non_regular_files_in_one_line(tmp_path, command):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    args = {"import": ["import", "--db", str(tmp_path / "p.claimdesk"), str(fifo), "/dev/zero"],
            "analyze": ["analyze", "--json", str(fifo), "/dev/zero"],
            "checkworthy": ["checkworthy", "/dev/zero"]}[command]
    status, out, err = _within(60, lambda: _run_cli(args))
    assert status == 1
    assert "Traceback" not in err
    lines = [l for l in err.splitlines() if l.startswith("claimdesk: ")]
    assert lines and all("not a regular file" in l for l in lines), err
