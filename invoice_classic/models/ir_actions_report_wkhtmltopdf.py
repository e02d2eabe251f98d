import contextvars
import functools
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlparse

from odoo import api, models
from odoo.exceptions import UserError
from odoo.http import request, root
from odoo.service import security
from odoo.tools.pdf import merge_pdf

from ..tools.wkhtmltopdf_pool import PdfDocument, WkhtmltopdfError, render_pdfs
from .ir_actions_report import wkhtmltopdf_has_patched_qt

_logger = logging.getLogger(__name__)

# How many wkhtmltopdf processes may run at once (a system parameter); one per core if unset.
PDF_PROCESSES_PARAM = "invoice_classic.pdf_processes"

# The PDFs rendered ahead of Odoo's rendering of each record of a report, while it runs: keyed
# by the arguments Odoo gives _run_wkhtmltopdf for that record (see _wkhtmltopdf_call_key).
_RENDERED_AHEAD = contextvars.ContextVar("invoice_classic_pdfs_rendered_ahead", default=None)


@dataclass(frozen=True)
class WkhtmltopdfCall:
    """What Odoo gives one call of ``_run_wkhtmltopdf``, and the document's name in errors."""

    name: str
    bodies: tuple
    header: str
    footer: str
    paperformat_args: dict


def _wkhtmltopdf_call_key(
    report_ref, bodies, header, footer, paperformat_args, landscape, set_viewport_size
):
    """What a call of ``_run_wkhtmltopdf`` is given: the same key, the same PDF."""
    return (
        str(report_ref),
        tuple(str(body) for body in bodies),
        str(header or ""),
        str(footer or ""),
        tuple(sorted((paperformat_args or {}).items())),
        landscape,
        set_viewport_size,
    )


class IrActionsReport(models.Model):
    """One document per wkhtmltopdf process, several processes at once.

    The wkhtmltopdf Debian ships (unpatched Qt) fails on a call with several documents: invoices
    and reports kept as attachments are rendered one record per Odoo rendering (so that Odoo
    keeps one PDF per record and embeds Factur-X in each), any other report one document per
    process. The processes run at once, up to one per CPU core (``invoice_classic.pdf_processes``
    says otherwise); the HTML is rendered, and each command line built, in this thread: the ORM
    stays out of the threads that wait for the processes (tools/wkhtmltopdf_pool.py)."""

    # One file per concern (fonts and page layout are in ir_actions_report.py).
    _inherit = "ir.actions.report"  # pylint: disable=consider-merging-classes-inherited

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Several records of an invoice report, or of a report kept as attachments: Odoo renders
        each record alone, its own PDF merged afterwards. Their PDFs are first rendered ahead,
        all at once; each rendering of a record then takes its PDF instead of waiting for its
        own process (a record whose HTML changed in between gets its own process). The HTML
        of each record is rendered twice, ahead and by Odoo (some 50 ms an invoice, against
        over a second for its process): Odoo's rendering of a record calls wkhtmltopdf between
        its HTML and what it does with the PDF (Factur-X), and waits for it."""
        report = self._get_report(report_ref)
        if (
            wkhtmltopdf_has_patched_qt()
            or not res_ids
            or len(res_ids) < 2
            or len(set(res_ids)) != len(res_ids)
            or not (report.attachment or self._is_invoice_report(report))
        ):
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        rendered_ahead = {}
        # attachment_use: a record may be read from its attachment, or not rendered at all
        # (Odoo's original vendor bill): no rendering ahead.
        if not report.attachment_use and self._invoice_classic_pdf_processes() > 1:
            rendered_ahead = self._invoice_classic_render_ahead(report_ref, data, res_ids)
        token = _RENDERED_AHEAD.set(rendered_ahead)
        try:
            streams = {}
            for res_id in res_ids:
                streams.update(
                    super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=[res_id])
                )
        finally:
            _RENDERED_AHEAD.reset(token)
        if rendered_ahead:
            _logger.warning(
                "%s: %s PDFs rendered ahead were not used (their HTML changed)",
                report.report_name,
                len(rendered_ahead),
            )
        return streams

    @api.model
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """The PDF rendered ahead for this call, if any. Else, with several documents, one
        process per document, at once, their PDFs merged in order."""
        rendered_ahead = _RENDERED_AHEAD.get()
        if rendered_ahead:
            key = _wkhtmltopdf_call_key(
                report_ref,
                bodies,
                header,
                footer,
                specific_paperformat_args,
                landscape,
                set_viewport_size,
            )
            if key in rendered_ahead:
                return rendered_ahead.pop(key)
        run = functools.partial(
            super()._run_wkhtmltopdf,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if len(bodies) < 2 or wkhtmltopdf_has_patched_qt():
            return run(bodies)
        if self._invoice_classic_pdf_processes() < 2:
            return merge_pdf([run([body]) for body in bodies])
        report = self._get_report(report_ref) if report_ref else self
        call = WkhtmltopdfCall(
            report.name or report._description,
            tuple(bodies),
            header,
            footer,
            specific_paperformat_args,
        )
        [merged] = self._invoice_classic_run_at_once(
            report_ref, [call], landscape, set_viewport_size
        )
        return merged

    def _invoice_classic_render_ahead(self, report_ref, data, res_ids):
        """The PDF of each record, keyed by the call of ``_run_wkhtmltopdf`` Odoo makes when it
        renders that record alone: its HTML rendered as Odoo does, one record at a time, then
        the processes of all records run at once."""
        report = self._get_report(report_ref)
        # What Odoo's rendering sets: a PDF, without debug (assets in one bundle).
        data = {"report_type": "pdf", "debug": False, **(data or {})}
        landscape = self.env.context.get("landscape")
        set_viewport_size = self.env.context.get("set_viewport_size")
        calls = []
        for record in self.env[report.model].browse(res_ids):
            html = self.with_context(debug=False)._render_qweb_html(
                report_ref, record.ids, data=data
            )[0]
            bodies, _ids, header, footer, paperformat_args = report.with_context(
                debug=False
            )._prepare_html(html, report_model=report.model)
            calls.append(
                WkhtmltopdfCall(
                    record.display_name, tuple(bodies), header, footer, paperformat_args
                )
            )
        start = time.perf_counter()
        pdfs = self._invoice_classic_run_at_once(report_ref, calls, landscape, set_viewport_size)
        _logger.info(
            "%s: %s PDFs rendered by up to %s wkhtmltopdf processes at once in %.2f s",
            report.report_name,
            len(pdfs),
            self._invoice_classic_pdf_processes(),
            time.perf_counter() - start,
        )
        return {
            _wkhtmltopdf_call_key(
                report_ref,
                call.bodies,
                call.header,
                call.footer,
                call.paperformat_args,
                landscape,
                set_viewport_size,
            ): pdf
            for call, pdf in zip(calls, pdfs, strict=True)
        }

    def _invoice_classic_run_at_once(self, report_ref, calls, landscape, set_viewport_size):
        """The PDF of each call, as Odoo's ``_run_wkhtmltopdf`` would make it with one process
        per document (body); all processes of all calls run at once."""
        paperformat = (
            self._get_report(report_ref).get_paperformat() if report_ref else self.get_paperformat()
        )
        documents, owners = [], []
        for index, call in enumerate(calls):
            args = tuple(
                self._build_wkhtmltopdf_args(
                    paperformat,
                    landscape,
                    specific_paperformat_args=call.paperformat_args,
                    set_viewport_size=set_viewport_size,
                )
            )
            for number, body in enumerate(call.bodies, start=1):
                name = call.name
                if len(call.bodies) > 1:
                    name = self.env._(
                        "%(document)s, part %(number)s of %(count)s",
                        document=call.name,
                        number=number,
                        count=len(call.bodies),
                    )
                documents.append(
                    PdfDocument(
                        name, args, str(body), str(call.header or ""), str(call.footer or "")
                    )
                )
                owners.append(index)
        with self._invoice_classic_report_cookie() as cookie:
            try:
                pdfs = render_pdfs(documents, self._invoice_classic_pdf_processes(), cookie=cookie)
            except WkhtmltopdfError as error:
                raise UserError(
                    "\n".join(
                        self.env._(
                            "The PDF of %(document)s could not be made: wkhtmltopdf stopped with"
                            " error code %(code)s. %(message)s",
                            document=failure.name,
                            code=failure.returncode,
                            message=failure.message,
                        )
                        for failure in error.failures
                    )
                ) from error
        parts_by_call = [[] for _call in calls]
        for index, pdf in zip(owners, pdfs, strict=True):
            parts_by_call[index].append(pdf)
        return [parts[0] if len(parts) == 1 else merge_pdf(parts) for parts in parts_by_call]

    @contextmanager
    def _invoice_classic_report_cookie(self):
        """The cookie Odoo's ``_run_wkhtmltopdf`` gives wkhtmltopdf when a user prints from the
        browser (the report's images and links as that user sees them): a session of its own,
        removed once the processes ended. None outside an HTTP request."""
        if not (request and request.db):
            yield None
            return
        session = root.session_store.new()
        session.update({**request.session, "debug": "", "_trace_disable": True})
        if session.uid:
            session.session_token = security.compute_session_token(session, self.env)
        root.session_store.save(session)
        try:
            domain = urlparse(self._get_report_url()).hostname
            yield f"session_id={session.sid}; HttpOnly; domain={domain}; path=/;"
        finally:
            root.session_store.delete(session)

    @api.model
    def _invoice_classic_pdf_processes(self):
        """How many wkhtmltopdf processes may run at once: ``invoice_classic.pdf_processes``,
        else one per CPU core."""
        # sudo: a system parameter every user who prints reads, none can write.
        value = self.env["ir.config_parameter"].sudo().get_param(PDF_PROCESSES_PARAM)
        try:
            return max(1, int(value)) if value else os.cpu_count() or 1
        except ValueError:
            _logger.warning("%s is not a number: %r", PDF_PROCESSES_PARAM, value)
            return os.cpu_count() or 1
