"""Several wkhtmltopdf processes at once, one document each.

No database here: ``ir.actions.report`` renders the HTML and builds each command line (Odoo's
``_build_wkhtmltopdf_args``) in its own thread, where the ORM is; the threads of this module
only write files, start a process, wait for it and read its PDF.

Rules:

* a document is one HTML body, with the header and footer Odoo made for it: the wkhtmltopdf
  Debian ships (unpatched Qt) fails when one call holds several bodies;
* at most ``max_processes`` processes run at once; with 1, they run one after the other in
  the calling thread;
* the PDFs come back in the order of the documents, whichever process ends first;
* as in Odoo's ``_run_wkhtmltopdf``, exit code 1 is a success when the PDF was written (a
  resource that failed to load); any other code, or an empty PDF, is the failure of that
  document: :class:`WkhtmltopdfError` names every document that failed once all have ended;
* every file (HTML, cookie jar, PDF) lives in one temporary directory, removed whatever
  happens.
"""

import logging
import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import lxml.html

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin, _split_table

_logger = logging.getLogger(__name__)

# Odoo's own limits (_run_wkhtmltopdf): a body this large has its tables split in tables of
# 500 rows, which wkhtmltopdf renders in linear time; the end of stderr kept in an error.
LARGE_BODY = 4 * 1024 * 1024
SPLIT_TABLE_ROWS = 500
MESSAGE_LENGTH = 1000
# What Debian's wkhtmltopdf writes at every run, whatever happens.
NOISE = re.compile(
    r"The switch [^,]*, is not support using unpatched qt, and will be ignored\.|"
    r"QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '[^']*'"
)


@dataclass(frozen=True)
class PdfDocument:
    """One wkhtmltopdf process: ``args`` as ``_build_wkhtmltopdf_args`` gives them, then the
    files. ``name`` says which document it is in errors and logs."""

    name: str
    args: tuple
    body: str
    header: str = ""
    footer: str = ""


@dataclass(frozen=True)
class PdfFailure:
    name: str
    returncode: int
    message: str


class WkhtmltopdfError(Exception):
    """Documents whose process failed; ``failures``: one :class:`PdfFailure` each."""

    def __init__(self, failures):
        super().__init__("; ".join(f"{f.name}: error code {f.returncode}" for f in failures))
        self.failures = failures


def render_pdfs(documents, max_processes=1, cookie=None):
    """The PDF of each document, as bytes, in the order of ``documents``.

    :param max_processes: how many processes may run at once
    :param cookie: the cookie wkhtmltopdf sends when it loads the report's resources
    :raise WkhtmltopdfError: when a document has no PDF
    """
    with tempfile.TemporaryDirectory(prefix="report.parallel.tmp.") as workdir:
        cookie_args = []
        if cookie:
            cookie_jar = _write(workdir, "cookie_jar.txt", cookie)
            cookie_args = ["--cookie-jar", cookie_jar]
        commands = [
            _command(workdir, index, document, cookie_args)
            for index, document in enumerate(documents)
        ]
        processes = max(1, min(max_processes, len(commands)))
        if processes == 1:
            outcomes = [_run(command) for command in commands]
        else:
            with ThreadPoolExecutor(processes, thread_name_prefix="wkhtmltopdf") as executor:
                outcomes = list(executor.map(_run, commands))
    failures = []
    for document, (returncode, stderr, pdf) in zip(documents, outcomes, strict=True):
        if returncode not in (0, 1) or not pdf:
            _logger.warning(
                "wkhtmltopdf failed on %s (code %s): %s", document.name, returncode, stderr
            )
            failures.append(PdfFailure(document.name, returncode, _message(stderr)))
        elif stderr:
            _logger.warning("wkhtmltopdf: %s", stderr)
    if failures:
        raise WkhtmltopdfError(failures)
    return [pdf for _returncode, _stderr, pdf in outcomes]


def _message(stderr):
    """What wkhtmltopdf said, on one line, without the usage it prints after a wrong option
    nor what it says at every run."""
    said = NOISE.sub("", stderr.split("\n\n", 1)[0])
    return " ".join(said.split())[-MESSAGE_LENGTH:]


def _command(workdir, index, document, cookie_args):
    """The command line of ``document``, its files written in ``workdir``."""
    files_args = []
    if document.header:
        files_args += ["--header-html", _write(workdir, f"header.{index}.html", document.header)]
    if document.footer:
        files_args += ["--footer-html", _write(workdir, f"footer.{index}.html", document.footer)]
    body = _write(workdir, f"body.{index}.html", _body_bytes(document.body))
    output = os.path.join(workdir, f"report.{index}.pdf")
    return [_get_wkhtmltopdf_bin(), *document.args, *cookie_args, *files_args, body, output]


def _body_bytes(body):
    if len(body) < LARGE_BODY:
        return str(body).encode()
    tree = lxml.html.fromstring(str(body))
    _split_table(tree, SPLIT_TABLE_ROWS)
    return lxml.html.tostring(tree)


def _write(workdir, name, content):
    path = os.path.join(workdir, name)
    with open(path, "wb") as file:
        file.write(content if isinstance(content, bytes) else str(content).encode())
    return path


def _run(command):
    """``(returncode, stderr, pdf)`` of one process; ``pdf`` is empty when none was written."""
    process = subprocess.run(command, capture_output=True, check=False)
    stderr = process.stderr.decode(errors="replace").strip()
    try:
        with open(command[-1], "rb") as file:
            pdf = file.read()
    except FileNotFoundError:
        pdf = b""
    return process.returncode, stderr, pdf
