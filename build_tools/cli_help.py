"""Click in Chinese: help headings, placeholders, defaults and usage errors in the words our users read.

Click writes its own words (Usage:, Options:, [default: …], Error: Missing
option …) through gettext, which has no Chinese catalogue we could ship
without compiling one. Instead the command classes here hand click a
formatter that writes Chinese headings and placeholders, and print usage
errors themselves with the message translated from click's fixed English
templates. Every command of ``casebook`` uses these classes.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
HELP_TEXT = "显示本帮助并退出。"
VERSION_TEXT = "显示版本号并退出。"

HEADINGS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数", "Arguments": "参数"}
# Placeholders click derives from a parameter's type (an option's own metavar is left alone).
PLACEHOLDERS = [("INTEGER RANGE", "整数"), ("FLOAT RANGE", "数"), ("INTEGER", "整数"), ("FLOAT", "数"),
                ("TEXT", "文字"), ("DIRECTORY", "目录"), ("FILE", "文件"), ("PATH", "路径"), ("BOOLEAN", "是或否")]
# Click's words in a usage line; the arguments' own names stay, as the help text refers to them.
USAGE_WORDS = [("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]...")]
VALUE = r"('[^']*'|\S+)"  # click quotes names and values with repr()
END = r"(?=\s|$)"
# Click's messages (click/exceptions.py, types.py, parser.py, core.py), each sentence on its own.
MESSAGES = [
    (rf"Missing option (.+?)\.{END}", r"缺少选项 \1。"),
    (rf"Missing argument (.+?)\.{END}", r"缺少参数 \1。"),
    (rf"Missing parameter:? (.+?)\.?{END}", r"缺少参数 \1。"),
    (r"Missing command\.", "缺少子命令。"),
    (rf"No such option:? (.+?)\.?{END}", r"没有选项 \1。"),
    (rf"No such command (.+?)\.{END}", r"没有命令 \1。"),
    (r"\(Did you mean one of: (.+?)\?\)", r"（是不是要用其中之一：\1？）"),
    (rf"Did you mean (.+?)\?{END}", r"是不是要用 \1？"),
    (r"\(Possible options: (.+?)\)", r"（可用的选项：\1）"),
    (r"Invalid value for (.+?): ", r"\1 的值不对："),
    (r"Invalid value: ", "值不对："),
    (r"Choose from:\s*", "可选的值："),
    (rf"{VALUE} is not one of (.+?)\.$", r"\1 不在可选的值 \2 之中。"),
    (rf"{VALUE} is not a valid integer\.", r"\1 不是整数。"),
    (rf"{VALUE} is not a valid float\.", r"\1 不是数。"),
    (rf"{VALUE} is not in the range (.+?)\.$", r"\1 不在范围 \2 内。"),
    (rf"{VALUE} is not {VALUE}\.", r"\1 不是 \2。"),
    (rf"(?:[Pp]ath|[Ff]ile|[Dd]irectory) {VALUE} does not exist\.", r"找不到 \1。"),
    (rf"(?:[Pp]ath|[Ff]ile|[Dd]irectory) {VALUE} is a file\.", r"\1 是文件，这里要的是目录。"),
    (rf"(?:[Pp]ath|[Ff]ile|[Dd]irectory) {VALUE} is a directory\.", r"\1 是目录，这里要的是文件。"),
    (rf"(?:[Pp]ath|[Ff]ile|[Dd]irectory) {VALUE} is not (?:readable|writable|executable)\.", r"\1 没有读写权限。"),
    (rf"Option {VALUE} requires an argument\.", r"选项 \1 后面要写一个值。"),
    (rf"Option {VALUE} requires (\d+) arguments\.", r"选项 \1 后面要写 \2 个值。"),
    (rf"Option {VALUE} does not take a value\.", r"选项 \1 后面不带值。"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多出了参数（\1）。"),
    (rf"Could not open file {VALUE}: (.+)", r"打不开文件 \1：\2"),
]


def translate(message: str) -> str:
    """Click's English message in Chinese, sentence by sentence; a message of our own passes unchanged."""
    for pattern, repl in MESSAGES:
        message = re.sub(pattern, repl, message)
    return re.sub(r"([。？：）]) +", r"\1", message)  # no space after full-width punctuation


def _placeholders(text: str, words: list[tuple[str, str]] = PLACEHOLDERS) -> str:
    for word, zh in words:
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", zh, text)
    return text


class ChineseFormatter(click.HelpFormatter):
    """Help pages with Chinese headings, placeholders and [默认：…]."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """``用法：casebook export [选项] [CASES_DIR]``."""
        super().write_usage(prog, _placeholders(args, USAGE_WORDS), "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        """``选项：`` instead of ``Options:``."""
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        """A command's description, paragraph by paragraph, wrapped by display width.

        Click joins a paragraph's lines with a space (a gap inside Chinese) and
        counts characters; a paragraph starting with \\b stays as written.
        """
        indent = " " * self.current_indent
        out = []
        for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
            if paragraph.lstrip(" ").startswith("\b"):
                body = paragraph.split("\n")[1:]
                out.append("\n".join(f"{indent}{line}" if line else "" for line in body))
                continue
            lines = [line.strip() for line in paragraph.split("\n")]
            joined = lines[0]
            for line in lines[1:]:  # a space only between Latin words
                joined += (" " if joined[-1:].isascii() and line[:1].isascii() else "") + line
            out.append("\n".join(f"{indent}{line}" for line in wrap(joined, self.width - self.current_indent)))
        self.write("\n\n".join(out) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        """Option rows with Chinese placeholders and notes, aligned and wrapped by display width.

        Click measures text in characters; a Chinese character takes two
        columns, so its own layout misaligns the descriptions and runs wide.
        """
        def note(text: str) -> str:
            text = re.sub(r"\[default: ([^\]]*)\]", r"[默认：\1]", text)
            text = re.sub(r"\[([^\]]*?)default: ([^\]]*)\]", r"[\1默认：\2]", text)
            text = text.replace("[required]", "[必填]").replace("; required]", "；必填]")
            return re.sub(r"\[默认：([^\]]*?); ", r"[默认：\1；", re.sub(r"([。）”])\s+\[", r"\1[", text))
        rows = [(_placeholders(term), note(text)) for term, text in rows]
        first_col = min(max((display_width(t) for t, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            lines = wrap(text, max(self.width - first_col - self.current_indent, 20)) if text else []
            if not lines:
                self.write(f"{indent}{term}\n")
                continue
            if display_width(term) <= first_col - col_spacing:
                self.write(f"{indent}{term}{' ' * (first_col - display_width(term))}{lines[0]}\n")
            else:
                self.write(f"{indent}{term}\n{indent}{' ' * first_col}{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * first_col}{line}\n")


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: a Chinese character (or full-width mark) takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


NO_LINE_START = set("，。、；：？！）》」”’]")
NO_LINE_END = set("（《「“‘[")


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, breaking between Chinese characters or at spaces.

    A run of Latin letters, digits or an option name is never split, and a
    closing mark (，。）) never starts a line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in re.findall(r"\[[^\]\n]{1,24}\]|[\x21-\x7e]+|\s+|.", paragraph):
            if token.isspace():
                token = " "
            if line and display_width(line + token.rstrip()) > width and token[0] not in NO_LINE_START:
                carry = line[-1] if line[-1] in NO_LINE_END else ""  # an opening mark goes with what it opens
                lines.append(line[:len(line) - len(carry)].rstrip())
                line = carry + ("" if token == " " else token)
            else:
                line += token
        lines.append(line.rstrip())
    return lines


class ChineseContext(click.Context):
    """A context whose help pages and usage lines come from :class:`ChineseFormatter`."""

    formatter_class = ChineseFormatter


class ChineseCommand(click.Command):
    """A command whose help and usage errors read in Chinese."""

    context_class = ChineseContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The -h/--help option, described in Chinese."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run as click does, but print usage errors in Chinese: 用法, the hint, 错误：…."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as err:
            show_usage_error(err)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            click.echo(f"错误：{translate(err.format_message())}", err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("已中止。", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def show_usage_error(err: click.UsageError) -> None:
    """Usage line, where to find help, and the error, all in Chinese."""
    if err.ctx is not None:
        click.echo(err.ctx.get_usage(), err=True)
        if err.ctx.command.get_help_option(err.ctx) is not None:
            click.echo(f"可运行 {err.ctx.command_path} -h 查看帮助。", err=True)
    click.echo(f"错误：{translate(err.format_message())}", err=True)


class ChineseGroup(ChineseCommand, click.Group):
    """A command group whose subcommands (and their groups) are Chinese too."""

    command_class = ChineseCommand
    group_class = type  # subgroups made with @group.group() are ChineseGroups as well
