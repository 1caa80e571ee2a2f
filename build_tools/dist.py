"""The built site as one zip for a USB stick: ASCII names, a 使用说明 first."""

from __future__ import annotations

from pathlib import Path

from .build import BuildError

DIST_README = """基层治理案例库 · 离线版使用说明
================================

1. 把整个 casebook-site 文件夹复制到电脑上（也可以直接在 U 盘上打开）。
2. 双击文件夹里的 index.html，用浏览器（Edge、Chrome、Firefox、360、QQ 浏览器等）打开。
3. 不需要联网：导航、地点、标签、数据一览和页面顶部的搜索框都能离线使用。
   搜索时直接输入中文，不用加空格，例如“外卖骑手怎么参与社区治理”“红色物业”。
4. 打印某条案例：打开该页面后按 Ctrl+P，页面会按 A4 纸排版。

文件名全部使用英文和数字，避免在 Windows 上解压时出现乱码。
"""


def make_dist(site_dir: Path, out: Path, folder: str = "casebook-site") -> Path:
    """Zip the built site for a USB stick: ASCII names, a 使用说明 first."""
    import zipfile

    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise BuildError(f"找不到已构建的网站 {site_dir}/index.html：请先运行 make site")
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    bad = [str(p.relative_to(site_dir)) for p in files if not str(p.relative_to(site_dir)).isascii()]
    if bad:
        raise BuildError("以下文件名含非 ASCII 字符，Windows 解压可能乱码：" + "、".join(bad[:5]))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    stamp = (2020, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo(f"{folder}/README.txt", stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        # A BOM so Windows Notepad shows the Chinese text right.
        z.writestr(info, "\ufeff" + DIST_README.replace("\n", "\r\n"))
        for p in files:
            info = zipfile.ZipInfo(f"{folder}/{p.relative_to(site_dir).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, p.read_bytes())
    tmp.replace(out)
    return out
