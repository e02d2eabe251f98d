{
    "name": "Classic Invoicing - CRM",
    "summary": "Create Invoice on an opportunity: its quotations and orders invoiced in one click, "
    "one invoice per order or one for all",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "invoice_classic developers",
    "website": "https://example.com/invoice_classic",
    "maintainers": ["invoice-classic"],
    "development_status": "Alpha",
    "depends": ["invoice_classic", "sale_crm"],
    "data": [
        "views/crm_lead_views.xml",
    ],
    "demo": [
        "demo/crm_lead_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "invoice_classic_crm/static/src/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
