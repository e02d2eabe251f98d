"""Factur-X PDF: the profile of the embedded XML, and the PDF/A-3 that carries it.

No database here: ``account.move.send`` (``_hook_invoice_document_after_pdf_report_render``)
reads the XML Odoo embedded, renders the XMP metadata for its profile and asks
:func:`write_facturx_pdfa` for the final PDF.

Rules (Factur-X 1.0.07, § 6.2 and its XMP extension schema):

* the XML is embedded once, as ``factur-x.xml``;
* the XMP ``fx:ConformanceLevel`` names the profile the XML declares in
  ``ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID``
  (MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED);
* the PDF is a PDF/A-3 (Odoo's ``OdooPdfFileWriter.convert_to_pdfa``: PDF 1.7 header, document
  ID, sRGB output intent), and its document information (title, dates) says what the XMP says.
"""

import io

from lxml import etree

from odoo.tools.pdf import (
    DictionaryObject,
    NameObject,
    NumberObject,
    OdooPdfFileReader,
    OdooPdfFileWriter,
)

FACTURX_FILENAME = "factur-x.xml"

# GuidelineSpecifiedDocumentContextParameter/ID of each profile -> its XMP conformance level.
CONFORMANCE_LEVELS = {
    "urn:factur-x.eu:1p0:minimum": "MINIMUM",
    "urn:factur-x.eu:1p0:basicwl": "BASIC WL",
    "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic": "BASIC",
    "urn:cen.eu:en16931:2017": "EN 16931",
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": "EXTENDED",
}


def conformance_level(xml):
    """The XMP conformance level of the profile ``xml`` (bytes) declares; None when it
    declares none this module knows."""
    guideline = etree.fromstring(xml).xpath(
        "string(//*[local-name()='GuidelineSpecifiedDocumentContextParameter']"
        "/*[local-name()='ID'])"
    )
    return CONFORMANCE_LEVELS.get(guideline.strip())


def read_pdf(pdf):
    return OdooPdfFileReader(io.BytesIO(pdf), strict=False)


def embedded_file(reader, filename=FACTURX_FILENAME):
    """The content of the file embedded as ``filename``, None when there is none."""
    return next((content for name, content in reader.getAttachments() if name == filename), None)


def pdf_date(moment):
    """``moment`` (an aware datetime, UTC) as a PDF date string (PDF 1.7, § 7.9.4)."""
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def _add_empty_outline(root):
    root[NameObject("/Outlines")] = DictionaryObject(
        {NameObject("/Type"): NameObject("/Outlines"), NameObject("/Count"): NumberObject(0)}
    )


def _write(writer):
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def with_outline_for_odoo_pdfa(pdf):
    """``pdf`` ready for Odoo's own PDF/A conversion (account_edi_ubl_cii, sending with the
    Factur-X format), which sets the outline's count and so fails (KeyError '/Outlines') on a
    PDF without outline: wkhtmltopdf with unpatched Qt makes none. Odoo converts only a PDF it
    does not take for a PDF/A already (it reads the header's binary comment line so, which a
    raw wkhtmltopdf PDF has and one Odoo's PDF writer rewrote has not): such a PDF without
    outline gets an empty one; any other is left as it is."""
    if not pdf.startswith(b"%PDF-"):
        return pdf
    writer = OdooPdfFileWriter()
    writer.cloneReaderDocumentRoot(read_pdf(pdf))
    if writer.is_pdfa or "/Outlines" in writer._root_object:
        return pdf
    _add_empty_outline(writer._root_object)
    return _write(writer)


def write_facturx_pdfa(reader, xmp, info):
    """The PDF of ``reader`` as a PDF/A-3 with ``xmp`` (bytes, without the xpacket wrapper)
    as its XMP metadata and ``info`` ({'/Title': ..., ...}) in its document information.

    A PDF already converted (it has an output intent) only gets the metadata. Odoo's
    conversion needs an outline: a PDF without one gets an empty one, and an outline without
    entry is taken away at the end."""
    writer = OdooPdfFileWriter()
    writer.cloneReaderDocumentRoot(reader)
    root = writer._root_object
    if "/OutputIntents" not in root:
        if "/Outlines" not in root:
            _add_empty_outline(root)
        writer.convert_to_pdfa()
    if "/Outlines" in root and "/First" not in root["/Outlines"]:
        del root["/Outlines"]
    writer.addMetadata(info)
    writer.add_file_metadata(xmp)
    return _write(writer)
