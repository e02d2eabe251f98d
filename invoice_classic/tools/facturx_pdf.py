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


def write_facturx_pdfa(reader, xmp, info):
    """The PDF of ``reader`` as a PDF/A-3 with ``xmp`` (bytes, without the xpacket wrapper)
    as its XMP metadata and ``info`` ({'/Title': ..., ...}) in its document information.

    Odoo's conversion sets the outline's count: a PDF without outline (Debian's wkhtmltopdf,
    unpatched Qt, makes none) gets an empty one for it, taken away afterwards. A PDF already
    converted (it has an output intent) only gets the metadata."""
    writer = OdooPdfFileWriter()
    writer.cloneReaderDocumentRoot(reader)
    root = writer._root_object
    if "/OutputIntents" not in root:
        without_outline = "/Outlines" not in root
        if without_outline:
            root[NameObject("/Outlines")] = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Outlines"),
                    NameObject("/Count"): NumberObject(0),
                }
            )
        writer.convert_to_pdfa()
        if without_outline:
            del root["/Outlines"]
    writer.addMetadata(info)
    writer.add_file_metadata(xmp)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()
