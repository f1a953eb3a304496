"""scripts/setup-system.sh: what it asks for, run as a user (it asks rather than installs) on a
PATH of stand-ins for the commands it looks for."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / "scripts" / "setup-system.sh"
LIBERATION2 = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"


def asked_for(tmp_path: Path, *, dot: bool, font: str | None, options: tuple[str, ...] = (),
              **more: str) -> list[str]:
    """The packages the script asks for, on a system with Graphviz or not and with fontconfig
    matching Arial to ``font``, its family and file (None: no fontconfig); ``more`` are
    further commands' stand-ins, by name."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "grep").symlink_to(shutil.which("grep"))
    stubs = {"id": "echo 1000"}
    if dot:
        stubs["dot"] = "exit 0"
    if font is not None:
        stubs["fc-match"] = f"echo '{font}'"
    stubs.update(more)
    for name, body in stubs.items():
        (bin_dir / name).write_text(f"#!{shutil.which('sh')}\n{body}\n")
        (bin_dir / name).chmod(0o755)
    run = subprocess.run([shutil.which("bash"), str(SCRIPT), *options], env={**os.environ, "PATH": str(bin_dir)},
                         capture_output=True, text=True, timeout=60)
    if run.returncode == 0:
        return []
    assert run.returncode == 1, run.stderr
    return run.stderr.removeprefix("setup: please install ").partition(" (")[0].split()


@pytest.mark.parametrize(("dot", "font", "wanted"), [
    (True, f"Liberation Sans|{LIBERATION2}", []),
    (True, "Arial|/usr/share/fonts/truetype/msttcorefonts/Arial.ttf", []),
    (True, "DejaVu Sans|/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", ["fonts-liberation2"]),
    # The older Liberation draws some bold letters wider than the glyph table gives them.
    (True, "Liberation Sans|/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", ["fonts-liberation2"]),
    # No fontconfig yet: Graphviz brings it, with a font of its own choosing unless this one comes too.
    (False, None, ["graphviz", "fonts-liberation2"]),
    (False, f"Liberation Sans|{LIBERATION2}", ["graphviz"]),
])
def test_it_asks_for_graphviz_and_a_font_with_arial_metrics_where_missing(
    tmp_path: Path, dot: bool, font: str | None, wanted: list[str]
) -> None:
    assert asked_for(tmp_path, dot=dot, font=font) == wanted


FONTS_OF = ('case "$1" in :lang=th) echo Loma ;; :lang=hi) echo "Lohit Devanagari" ;; '
            ':lang=und-zsye) echo "Noto Color Emoji" ;; esac')


@pytest.mark.parametrize(("fonts", "wanted"), [
    (FONTS_OF, []),
    ("exit 0", ["fonts-tlwg-loma-ttf", "fonts-lohit-deva", "fonts-noto-color-emoji"]),
    (FONTS_OF.replace(":lang=th", ":lang=none"), ["fonts-tlwg-loma-ttf"]),
    (FONTS_OF.replace(":lang=und-zsye", ":lang=none"), ["fonts-noto-color-emoji"]),
])
def test_for_the_browser_tests_it_asks_for_fonts_of_thai_devanagari_and_emoji_where_none_draws_them(
    tmp_path: Path, fonts: str, wanted: list[str]
) -> None:
    assert asked_for(tmp_path, dot=True, font=f"Liberation Sans|{LIBERATION2}", options=("--browser",),
                     chromium="exit 0", **{"fc-list": fonts}) == wanted
