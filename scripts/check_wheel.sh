#!/usr/bin/env bash
# Build each addon of the repository as a wheel (whool, as OCA does: odoo-addon-<name>), install it
# in a throwaway virtualenv beside the machine's Odoo, and check that Odoo finds the addon there,
# and only there (the repository is not on the addons path of the check).
# Usage: scripts/check_wheel.sh [output directory of the wheels]   (default: a temporary one)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
check_odoo
OUT="${1:-}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
OUT="${OUT:-$WORK/wheels}"
mkdir -p "$OUT"

addons=()
for manifest in "$ROOT"/*/__manifest__.py; do
    addon=$(basename "$(dirname "$manifest")")
    [ -f "$ROOT/$addon/pyproject.toml" ] || die "$addon has no pyproject.toml: it cannot be built as a wheel."
    addons+=("$addon")
done

say "building the wheels of ${addons[*]} (whool)"
for addon in "${addons[@]}"; do
    python3 -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$OUT" "$ROOT/$addon" 2>&1 |
        grep -v -e "Running pip as the 'root' user" -e "is ignored: it is neither" || true
    ls "$OUT"/odoo_addon_"${addon}"-18.0.*-py3-none-any.whl >/dev/null 2>&1 ||
        die "no wheel odoo-addon-$addon was built (is whool reachable on the package index?)."
done

say "installing them in a throwaway virtualenv and asking Odoo where the addons are"
python3 -m venv --system-site-packages "$WORK/venv"
# Odoo itself is not a distribution pip knows here: the wheels' "odoo==18.0.*" requirement is not resolved.
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$OUT"/*.whl 2>&1 |
    grep -v -e "Running pip as the 'root' user" -e "is ignored: it is neither" || true
"$WORK/venv/bin/python" - "$ODOO_ADDONS" "${addons[@]}" <<'PY'
import importlib
import os
import sys
import sysconfig

import odoo
from odoo.modules import module
from odoo.tools import config

odoo_addons, addons = sys.argv[1], sys.argv[2:]
config.parse_config([f"--addons-path={odoo_addons}", "--log-level=warn"])  # Odoo's own addons only, not the repository
module.initialize_sys_path()
purelib = sysconfig.get_paths()["purelib"]
for name in addons:
    path = module.get_module_path(name)
    if not path or not path.startswith(purelib):
        sys.exit(f"Odoo does not find {name} in the installed wheel (found: {path}).")
    manifest = module.get_manifest(name)
    if not manifest.get("installable"):
        sys.exit(f"{name} from the wheel is not installable.")
    importlib.import_module(f"odoo.addons.{name}")
    files = sum(len(f) for _d, _s, f in os.walk(path))
    print(f"[invoice_classic] {name} {manifest['version']}: found by Odoo in {path} ({files} files)")
PY
