"""Screenshot pages of the built site in headless Chromium at desktop and phone widths.

usage: python tools/screenshot.py OUTDIR PATH [PATH ...]   (paths like /topics/disclaimer/)
Serves site/ on 127.0.0.1 for the duration.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402  (one browser setup for tests and tools)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with serve(Path("site")) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height, name in ((1280, 900, "desktop"), (390, 844, "phone")):
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in sys.argv[2:]:
                page.goto(base + path)
                page.wait_for_timeout(300)
                slug = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home"
                page.screenshot(path=str(out / f"{slug}-{name}.png"), full_page=True)
                sw = page.evaluate("document.documentElement.scrollWidth")
                print(f"{path} {name}: scrollWidth={sw}")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
