import { Component, onWillStart, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import { useRecordObserver } from "@web/model/relational_model/utils";

/** How long the form must be still before the preview follows it (ms). */
export const PREVIEW_DELAY = 400;

/**
 * The report's HTML for the sandboxed frame, where no script runs: without its scripts, and
 * laid out as its own script lays it out in a frame (the whole width), with a margin.
 */
export function toFrameDocument(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    for (const script of doc.querySelectorAll("script")) {
        script.remove();
    }
    doc.body.classList.add("o_in_iframe", "container-fluid", "py-3");
    doc.body.classList.remove("container");
    return `<!DOCTYPE html>${doc.documentElement.outerHTML}`;
}

/** Read every field of ``record`` and of its x2many lines: an observer of the record is
 * then called on any change (the changes themselves are not reactive). */
function observeAllFields(record) {
    for (const value of Object.values(record.data)) {
        for (const line of value?.records || []) {
            observeAllFields(line);
        }
    }
}

/**
 * The live preview of a customer invoice: the chosen layout's rendering of the form's
 * record as it is being edited, unsaved changes included. The form's changes are sent the
 * way the form sends them to onchange(); the server renders them without writing anything.
 */
export class InvoicePreviewPanel extends Component {
    static template = "invoice_classic.InvoicePreviewPanel";
    static props = { record: Object };

    setup() {
        this.orm = useService("orm");
        this.preview = useService("invoice_classic.preview");
        this.iframeRef = useRef("iframe");
        this.state = useState({
            html: "",
            layouts: [],
            layoutId: false, // the layout shown
            chosenLayoutId: false, // the layout chosen here, else the invoice's own
            loading: false,
            error: "",
        });
        this.requestCount = 0;
        this.scrollY = 0;
        this.renderLater = useDebounced(() => this.renderPreview(), PREVIEW_DELAY);
        onWillStart(async () => {
            this.state.layouts = await this.orm.call(
                "account.move",
                "get_invoice_preview_layouts",
                []
            );
        });
        let observed = false;
        useRecordObserver((record) => {
            observeAllFields(record); // any edit calls this again
            this.recordId = record.resId || false;
            this.values = record._getChanges(record._changes, { withReadonly: true });
            if (observed) {
                this.renderLater();
            } else {
                observed = true;
                this.renderPreview();
            }
        });
    }

    async renderPreview() {
        const request = ++this.requestCount;
        this.state.loading = true;
        try {
            const { html, layout_id } = await this.orm.silent.call(
                "account.move",
                "get_invoice_preview_html",
                [this.recordId, this.values, this.state.chosenLayoutId]
            );
            if (request !== this.requestCount) {
                return; // a later edit is being rendered
            }
            this.keepScroll();
            Object.assign(this.state, { html: toFrameDocument(html), layoutId: layout_id, error: "" });
        } catch (error) {
            if (request === this.requestCount) {
                this.state.error =
                    error.data?.message || error.message || _t("The preview could not be shown.");
            }
        } finally {
            if (request === this.requestCount) {
                this.state.loading = false;
            }
        }
    }

    keepScroll() {
        const frameWindow = this.iframeRef.el?.contentWindow;
        this.scrollY = frameWindow ? frameWindow.scrollY : 0;
    }

    onFrameLoad() {
        this.iframeRef.el?.contentWindow?.scrollTo(0, this.scrollY);
    }

    onLayoutChange(ev) {
        this.state.chosenLayoutId = parseInt(ev.target.value);
        this.renderPreview();
    }
}
