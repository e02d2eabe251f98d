{
    "name": "Classic Invoicing",
    "summary": "One-click invoices from quotations, orders, deliveries and customers",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "invoice_classic developers",
    "website": "https://example.com/invoice_classic",
    "maintainers": ["invoice-classic"],
    "development_status": "Alpha",
    "depends": ["sale_stock"],
    "data": [
        "security/ir.model.access.csv",
        "data/invoice_classic_data.xml",
        "views/invoice_payment_mode_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/account_payment_views.xml",
        "reports/report_invoice_templates.xml",
        "reports/report_payment_receipt_templates.xml",
    ],
    "demo": [
        "demo/invoice_classic_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "invoice_classic/static/src/components/*.xml",
        ],
        "web.assets_tests": [
            "invoice_classic/static/src/tests/tours/*.js",
        ],
    },
    "installable": True,
}
