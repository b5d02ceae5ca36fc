"""Where our banner's script time goes: a Chrome trace of page loads, through Playwright's CDP session.

Used by ``bench/banner_bench.py`` (``--profile-runs``, on by default), which prints the breakdown after
its table. Each load records a DevTools timeline trace (CDP ``Tracing``, the categories the Performance
panel records) at the bench's CPU throttle and sums, on the page's main thread:

- ``compile``: V8 parsing and compiling our file (``v8.compile``, ``V8.CompileCode``, ...) on the main
  thread (the compile hint moves most of it to the streaming thread);
- ``evaluate``: running our file's top level (``EvaluateScript`` minus the compile inside it): reading the
  cookie, the model, Consent Mode's default, and, when ``<body>`` exists, the first layer;
- ``shadow+sheet``: of that, building the host, its shadow root and the constructable stylesheet
  (``ParseAuthorStyleSheet`` of our sheet and the first style recalculation inside our code);
- ``callbacks``: our functions called later (``FunctionCall`` in our file: DOMContentLoaded, gating,
  ready event), without the MutationObserver;
- ``observer``: our MutationObserver callbacks (our ``FunctionCall`` events run as microtasks);
- ``style+layout``: style recalculation and layout of the whole page until the banner is visible (the
  page's own share included; the floor page has its own to compare with).

``compile + evaluate + callbacks + observer`` is our script's main-thread time (``shadow+sheet`` is a
part of evaluate and callbacks); ``ScriptDuration`` in the main table also counts the page's other
scripts and the bench's own polling script.
"""

from __future__ import annotations

import statistics
from typing import Any

__all__ = ["PARTS", "breakdown", "profile", "summarize_profiles"]

CATEGORIES = ",".join(
    [
        "devtools.timeline",
        "v8",
        "v8.execute",
        "blink",
        "disabled-by-default-devtools.timeline",
        "disabled-by-default-v8.compile",
    ]
)
COMPILE = {
    "v8.compile",
    "V8.CompileCode",
    "v8.compileModule",
    "V8.CompileLazy",
    "v8.parseOnBackground",
    "V8.ParseProgram",
    "V8.ParseFunction",
    "v8.produceCache",
}
STYLE = {"UpdateLayoutTree", "RecalculateStyles", "Layout"}
PARTS = ("compile", "evaluate", "shadow+sheet", "callbacks", "observer", "style+layout")


def _ours(event: dict[str, Any], marker: str) -> bool:
    data = (event.get("args") or {}).get("data") or {}
    url = data.get("url") or (event.get("args") or {}).get("fileName") or ""
    return marker in str(url)


def _within(inner: dict[str, Any], outer: list[tuple[float, float]]) -> bool:
    return any(start <= inner["ts"] <= end for start, end in outer)


def ms(items: list[dict[str, Any]]) -> float:
    """Total duration of trace events, in ms."""
    return float(sum(e["dur"] for e in items)) / 1000


def breakdown(events: list[dict[str, Any]], marker: str) -> dict[str, float]:
    """The parts, in ms, of one load's trace events (complete events, ``ph == "X"``)."""
    complete = [e for e in events if e.get("ph") == "X" and "dur" in e]
    evaluate = [e for e in complete if e["name"] == "EvaluateScript" and _ours(e, marker)]
    if not evaluate:
        return {}
    main = (evaluate[0]["pid"], evaluate[0]["tid"])
    on_main = [e for e in complete if (e["pid"], e["tid"]) == main]
    spans = [(e["ts"], e["ts"] + e["dur"]) for e in evaluate]
    compile_in = [e for e in on_main if e["name"] in COMPILE and (_ours(e, marker) or _within(e, spans))]
    calls = [e for e in on_main if e["name"] == "FunctionCall" and _ours(e, marker)]
    micro = [(e["ts"], e["ts"] + e["dur"]) for e in on_main if e["name"] in ("RunMicrotasks", "V8.RunMicrotasks")]
    observer = [e for e in calls if _within(e, micro)]
    call_spans = spans + [(e["ts"], e["ts"] + e["dur"]) for e in calls]
    sheet = [e for e in on_main if e["name"] in ("ParseAuthorStyleSheet", *STYLE) and _within(e, call_spans)]
    visible_end = max(end for _, end in call_spans)
    style = [e for e in on_main if e["name"] in STYLE and e["ts"] <= visible_end]
    compile_ms = ms(compile_in)
    return {
        "compile": compile_ms,
        "evaluate": max(ms(evaluate) - compile_ms, 0.0),
        "shadow+sheet": ms(sheet),
        "callbacks": ms([e for e in calls if e not in observer]),
        "observer": ms(observer),
        "style+layout": ms(style),
    }


def profile(browser: Any, url: str, marker: str, cpu: float, visible_js: str) -> dict[str, float]:
    """Load ``url`` in a fresh context with a trace running; return :func:`breakdown` of the load.

    ``marker`` is a part of our script's URL; ``visible_js`` an expression true once the banner shows.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        events: list[dict[str, Any]] = []
        done: list[bool] = []
        cdp.on("Tracing.dataCollected", lambda params: events.extend(params["value"]))
        cdp.on("Tracing.tracingComplete", lambda params: done.append(True))
        if cpu > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
        cdp.send("Tracing.start", {"categories": CATEGORIES, "transferMode": "ReportEvents"})
        page.goto(url, wait_until="load")
        page.wait_for_function(visible_js, timeout=10_000, polling=50)
        page.wait_for_timeout(200)
        cdp.send("Tracing.end")
        for _ in range(200):
            if done:
                break
            page.wait_for_timeout(25)
        return breakdown(events, marker)
    finally:
        context.close()


def summarize_profiles(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each part over the runs that found our script."""
    found = [r for r in runs if r]
    return {part: statistics.median(r[part] for r in found) for part in PARTS} if found else {}
