"""Course packs: a spec (``courses/<id>.yml``) → chosen records → teaching material.

A trainer writes a spec naming the sessions of a course and, for each
session, the records to teach (``cases``) or a selection (``select``: tags,
places, a query). This module

* checks a spec with the same machinery as records (:func:`load_course`,
  :func:`check_course`): problems are data with file, line and a Chinese
  message; an unknown record id gets the closest id as a suggestion;
* resolves the selections against the corpus (:func:`resolve`);
* lays the pack out once, as a list of neutral blocks (:func:`pack_blocks`),
  for the student edition (学员版: case texts and questions) or the trainer
  edition (教师版: plus 使用说明 per session: aims, questions with 分析思路
  and 关键要点, a 课堂计划 whose minutes add up, a comparison table);
* writes the blocks as Markdown (:func:`render_markdown`, and
  :func:`course_pages` for the site), standalone HTML for A4 printing
  (:func:`render_html`) or a Word document (:func:`render_docx`) whose styles
  all come from a reference document (``courses/reference.docx``, else the
  default in ``templates/course/``).

One module a job: ``spec`` (model, checks, selection), ``plan`` (class
plan), ``blocks`` (the layout, from each record's view), ``markdown``,
``html``, ``docx`` (writers), ``reference`` (the Word styles document),
``pack`` (files), ``scaffold`` (course new).
Every text from YAML goes through :func:`render.esc` (Markdown) or
:func:`render.html_esc` (HTML); python-docx escapes XML itself.
"""

from .blocks import pack_blocks, record_blocks, teaching_blocks
from .docx import render_docx
from .html import render_html
from .markdown import course_pages, course_path, render_markdown
from .pack import build_pack, course_downloads, output_name, ticks_per_build
from .plan import PLAN_BLOCKS, apportion, class_plan
from .scaffold import compare_question, new_spec
from .spec import (EDITION_LABELS, EDITIONS, FORMATS, MINUTES_MAX, MINUTES_MIN, Course, CourseSession, CourseSpec, QueryFn,
                   Selection, check_course, course_files, course_slug, load_course, load_courses, resolve,
                   select_records)

__all__ = [
    "pack_blocks",
    "record_blocks",
    "teaching_blocks",
    "render_docx",
    "render_html",
    "course_pages",
    "course_path",
    "render_markdown",
    "build_pack",
    "course_downloads",
    "output_name",
    "ticks_per_build",
    "PLAN_BLOCKS",
    "apportion",
    "class_plan",
    "compare_question",
    "new_spec",
    "EDITION_LABELS",
    "EDITIONS",
    "FORMATS",
    "MINUTES_MAX",
    "MINUTES_MIN",
    "Course",
    "CourseSession",
    "CourseSpec",
    "QueryFn",
    "Selection",
    "check_course",
    "course_files",
    "course_slug",
    "load_course",
    "load_courses",
    "resolve",
    "select_records",
]
