"""The class plan: minutes per block that add up exactly to a session's minutes."""

from __future__ import annotations

import math



# ------------------------------------------------------------- class plan

PLAN_BLOCKS = ("导入", "案例阅读", "分组讨论", "全班交流", "总结")


def apportion(total: int, weights: list[float], unit: int = 1) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that add up exactly.

    Largest remainder method in steps of ``unit``; every part gets at least
    one step when there are enough. ``total`` must be a multiple of ``unit``.
    """
    steps = total // unit
    n = len(weights)
    base = [1] * n if steps >= n else [0] * n
    rest = steps - sum(base)
    wsum = sum(weights) or 1.0
    quotas = [rest * w / wsum for w in weights]
    parts = [b + math.floor(q) for b, q in zip(base, quotas)]
    left = steps - sum(parts)
    order = sorted(range(n), key=lambda i: (-(quotas[i] - math.floor(quotas[i])), i))
    for i in order[:left]:
        parts[i] += 1
    return [p * unit for p in parts]


def class_plan(minutes: int, n_records: int, n_questions: int = 0) -> list[tuple[str, int, str]]:
    """The blocks of a session with their minutes (which add up to ``minutes``) and what happens."""
    n = max(1, n_records)
    weights = [1.0, 1.0 + 0.6 * min(n, 5), 3.0, 2.0 + (0.5 if n > 1 else 0.0), 1.0]
    unit = 5 if minutes % 5 == 0 and minutes // 5 >= 2 * len(weights) else 1
    mins = apportion(minutes, weights, unit)
    compare = "，对照案例对比表比较各地做法" if n > 1 else ""
    what = [
        "说明本单元的学习目的；请两三位学员简述本地在这方面的做法或难题",
        f"学员阅读{'本单元的 ' + str(n) + ' 个案例' if n > 1 else '案例'}，圈出关键做法和成效数字",
        f"分组讨论思考题（每组 5—7 人，推选记录员）"
        + (f"，每组至少讨论 1 道单元讨论题" if n_questions else ""),
        f"各组汇报，教师按“分析思路”追问{compare}",
        "教师归纳关键要点，布置课后任务：写出本地可借鉴的一条做法及前提条件",
    ]
    return list(zip(PLAN_BLOCKS, mins, what))
