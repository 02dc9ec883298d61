#!/usr/bin/env python3
"""Renders the side-by-side table of scripts/bench-upgrade.sh from its results directory.

Reads results.env (key=value), the guide's timings files ("phase epoch" lines) and the
`oms-upgrade status --json` documents taken after apply and after rollback. Prints the table
on stdout; with --json FILE also writes the numbers as one JSON document.
"""
import argparse
import json
import os
import sys
from benchfiles import load_env, load_json, load_marks

DOWNTIME_TARGET = 0.5  # oms-upgrade's tool-controlled downtime at most half the guide's
ROLLBACK_TARGET = 20.0  # oms-upgrade's rollback data part at least 20x faster


def span(marks, start, end):
    if start in marks and end in marks:
        return marks[end] - marks[start]
    return None


def step(status, name):
    for s in (status or {}).get("steps", []):
        if s.get("step") == name:
            return s
    return None


def step_end(s):
    if s and s.get("startOffset") is not None and s.get("duration") is not None:
        return s["startOffset"] + s["duration"]
    return None


def load_events(path):
    """(name, action, attributes, seconds) of each docker event, in order."""
    events = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                attrs = (e.get("Actor") or {}).get("Attributes") or {}
                events.append((attrs.get("name"), e.get("Action", ""), attrs, e.get("timeNano", 0) / 1e9))
    return events


def first_event(events, name, action, after=0.0, **attrs):
    for n, a, at, t in events:
        if n == name and a == action and t >= after and all(at.get(k) == v for k, v in attrs.items()):
            return t
    return None


def event_numbers(events, old, new):
    """The same spans on docker's clock: old killed -> init exec ended, new stopped -> old started."""
    kill = first_event(events, old, "kill", signal="15")
    init_ids = {at.get("execID") for n, a, at, _ in events if n == new and a.startswith("exec_start:") and "docker_init.sh" in a}
    init_end = next((t for n, a, at, t in events
                     if n == new and a == "exec_die" and at.get("execID") in init_ids and (kill is None or t >= kill)), None)
    new_died = first_event(events, new, "die", after=init_end or 0.0)
    old_started = first_event(events, old, "start", after=new_died) if new_died else None
    return {
        "toolControlledDowntime": init_end - kill if kill and init_end else None,
        "rollbackData": old_started - new_died if new_died and old_started else None,
    }


def outage(path):
    """First 'down' to the next 'up' in a health poller's log; None when it never came back."""
    down = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                state, _, t = line.strip().partition(" ")
                if state == "down" and down is None:
                    down = float(t)
                elif state == "up" and down is not None:
                    return float(t) - down
    return None


def guide_numbers(up, up_order, rb, rb_order):
    last_source = [n for n in rb_order if n.startswith("sourced-")]
    return {
        "toolControlledDowntime": span(up, "stop-begin", "init-done"),
        "downtime": span(up, "stop-begin", "healthy"),
        "rollbackData": span(rb, "stopped-new", last_source[-1]) if last_source else None,
        "rollbackTotal": span(rb, "stop-begin", "healthy"),
    }


def tool_numbers(apply_status, rollback_status):
    data = step(rollback_status, "rollback-data")
    stop_new = step(rollback_status, "rollback-stop-new")
    health = step(rollback_status, "rollback-health")
    rollback_total = None
    if stop_new and health and health.get("state") == "completed":
        end = step_end(health)
        if end is not None and stop_new.get("startOffset") is not None:
            rollback_total = end - stop_new["startOffset"]
    return {
        "toolControlledDowntime": (apply_status or {}).get("stopToInitDoneSeconds",
                                                           (apply_status or {}).get("toolControlledDowntimeSeconds")),
        "downtime": (apply_status or {}).get("downtimeSeconds"),
        "serviceStart": (apply_status or {}).get("serviceStartSeconds"),
        "rollbackData": data.get("duration") if data and data.get("state") == "completed" else None,
        "rollbackDataState": data.get("state") if data else None,
        "rollbackHealthState": health.get("state") if health else None,
        "rollbackTotal": rollback_total,
    }


def fmt_s(value, missing="timeout"):
    return f"{value:.2f} s" if isinstance(value, (int, float)) else missing


def fmt_bytes(n):
    n = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} GiB"


def fmt_int(s):
    try:
        return f"{int(s):,}"
    except ValueError:
        return s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--json")
    args = parser.parse_args()
    d = args.dir
    env = load_env(os.path.join(d, "results.env"))
    gu, gu_order = load_marks(os.path.join(d, "guide-upgrade.timings"))
    gr, gr_order = load_marks(os.path.join(d, "guide-rollback.timings"))
    apply_status = load_json(os.path.join(d, "tool-status-apply.json"))
    rollback_status = load_json(os.path.join(d, "tool-status-rollback.json"))
    g = guide_numbers(gu, gu_order, gr, gr_order)
    t = tool_numbers(apply_status, rollback_status)
    g["upgradeWall"] = float(env["guide_upgrade_wall"]) if env.get("guide_upgrade_wall") else None
    g["rollbackWall"] = float(env["guide_rollback_wall"]) if env.get("guide_rollback_wall") else None
    t["upgradeWall"] = float(env["tool_apply_wall"]) if env.get("tool_apply_wall") else None
    t["rollbackWall"] = float(env["tool_rollback_wall"]) if env.get("tool_rollback_wall") else None
    events = load_events(os.path.join(d, "events.jsonl"))
    ge = event_numbers(events, env.get("guide_old"), env.get("guide_new"))
    te = event_numbers(events, env.get("tool_old"), env.get("tool_new"))
    for key, value in ge.items():
        g["events." + key] = value
    for key, value in te.items():
        t["events." + key] = value
    g["observedOutage.upgrade"] = outage(os.path.join(d, "guide-upgrade.health"))
    g["observedOutage.rollback"] = outage(os.path.join(d, "guide-rollback.health"))
    t["observedOutage.upgrade"] = outage(os.path.join(d, "tool-apply.health"))
    t["observedOutage.rollback"] = outage(os.path.join(d, "tool-rollback.health"))
    g["restored"] = env.get("guide_restored", "?")
    t["restored"] = env.get("tool_restored", "?")

    out = []
    w = out.append
    w(f"OMS {env.get('from_image', '?')} -> {env.get('to_image', '?')}: oms-upgrade vs the vendor guide's commands"
      f" ({env.get('mode', '?')} run, {env.get('date', '')})")
    for side in ("guide", "tool"):
        w(f"  {side:5} deployment: heartbeat rows {fmt_int(env.get(side + '_hb_rows', '?'))}"
          f" ({fmt_bytes(env.get(side + '_hb_bytes', 0))}); rm {fmt_int(env.get(side + '_rm_rows', '?'))} rows"
          f" ({fmt_bytes(env.get(side + '_rm_bytes', 0))}), cm {fmt_int(env.get(side + '_cm_rows', '?'))} rows"
          f" ({fmt_bytes(env.get(side + '_cm_bytes', 0))}); rm+cm {fmt_int(env.get(side + '_rmcm_rows', '?'))} rows,"
          f" {fmt_bytes(env.get(side + '_rmcm_bytes', 0))} (data+index, information_schema)")
    w(f"  seeded with --heartbeat-rows {env.get('heartbeat_rows_arg', '?')} --project-rows {env.get('project_rows_arg', '?')};"
      f" waits time out after {env.get('wait_timeout', '?')} s; host: {env.get('host', '?')}")
    w("")
    rows = []

    def ratio_row(label, gv, tv, kind):
        if kind == "none" or not isinstance(gv, (int, float)) or not isinstance(tv, (int, float)):
            return label, fmt_s(gv), fmt_s(tv), "" if kind == "none" else "n/a", ""
        if kind == "downtime":
            r = tv / gv if gv > 0 else float("inf")
            verdict = "met" if r <= DOWNTIME_TARGET else "MISSED"
            return label, fmt_s(gv), fmt_s(tv), f"{r:.2f}x of the guide", f"<= {DOWNTIME_TARGET:.2f}: {verdict}"
        if tv <= 0:
            return label, fmt_s(gv), fmt_s(tv), "inf", ""
        r = gv / tv
        verdict = "met" if r >= ROLLBACK_TARGET else "MISSED"
        return label, fmt_s(gv), fmt_s(tv), f"{r:.1f}x faster", f">= {ROLLBACK_TARGET:.0f}x: {verdict}"

    rows.append(ratio_row("upgrade: stop -> init done (vendor init included)",
                          g["toolControlledDowntime"], t["toolControlledDowntime"], "downtime"))
    rows.append(ratio_row("  same on docker's clock (kill -> init exec_die)",
                          g["events.toolControlledDowntime"], t["events.toolControlledDowntime"], "downtime"))
    rows.append(ratio_row("upgrade: total downtime (stop -> healthy)", g["downtime"], t["downtime"], "none"))
    rows.append(ratio_row("  observed /oms/health outage (0.2 s poll)",
                          g["observedOutage.upgrade"], t["observedOutage.upgrade"], "none"))

    def data_row(label, gv, tv):
        row = ratio_row(label, gv, tv, "rollback")
        if t["restored"] != "yes" and isinstance(tv, (int, float)):
            row = row[:3] + ("n/a: data not restored", "")
        return row

    rows.append(data_row("rollback: data part (guide: drop+create+source x3)", g["rollbackData"], t["rollbackData"]))
    rows.append(data_row("  docker's clock (new died -> old started)", g["events.rollbackData"], t["events.rollbackData"]))
    rows.append(("rollback: total (stop new -> old healthy)", fmt_s(g["rollbackTotal"]), fmt_s(t["rollbackTotal"]), "", ""))
    rows.append(ratio_row("  observed /oms/health outage (0.2 s poll)",
                          g["observedOutage.rollback"], t["observedOutage.rollback"], "none"))
    rows.append(("whole command, wall clock: upgrade", fmt_s(g["upgradeWall"], "-"), fmt_s(t["upgradeWall"], "-"), "", ""))
    rows.append(("whole command, wall clock: rollback", fmt_s(g["rollbackWall"], "-"), fmt_s(t["rollbackWall"], "-"), "", ""))
    rows.append(("rollback restored the pre-upgrade rm/cm rows", g["restored"], t["restored"], "", ""))
    t["onlinePhase"] = (apply_status or {}).get("onlinePhaseSeconds")
    t["catchUp"] = (apply_status or {}).get("catchUpSeconds")
    t["afterPhase"] = (apply_status or {}).get("afterPhaseSeconds")
    rows.append(("apply: online phase / catch-up in the downtime / after phase", "-",
                 f"{fmt_s(t['onlinePhase'], '-')} / {fmt_s(t['catchUp'], '-')} / {fmt_s(t['afterPhase'], '-')}", "", ""))
    for key, label in (("writer_idle", "old OMS write latency p50/p99 (n), idle"),
                       ("writer_online", "old OMS write latency p50/p99 (n), apply's online phase")):
        parts = env.get(key, "").split()
        if len(parts) == 3:
            rows.append((label, "-", f"{parts[0]}/{parts[1]} ms ({parts[2]})", "", ""))
            t[key] = {"p50ms": parts[0], "p99ms": parts[1], "n": parts[2]}
    header = ("", "guide", "oms-upgrade", "ratio", "target")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(5)]
    line = lambda r: "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) if i < 3 else str(c).ljust(widths[i])
                               for i, c in enumerate(r)).rstrip()
    w(line(header))
    w("-" * len(line(header)))
    for r in rows:
        w(line(r))

    w("")
    w("guide, phase by phase (s since stop-begin / duration):")
    for title, marks, order in (("upgrade", gu, gu_order), ("rollback", gr, gr_order)):
        parts = []
        prev = None
        for name in order:
            start = marks[order[0]]
            parts.append(f"{name} +{marks[name] - start:.2f}" + (f" ({marks[name] - prev:.2f})" if prev is not None else ""))
            prev = marks[name]
        w(f"  {title:8}: " + (", ".join(parts) if parts else "(not run)"))
    w("oms-upgrade, step by step (state, start offset, duration):")
    status = rollback_status or apply_status
    for s in (status or {}).get("steps", []):
        if s.get("state") == "pending":
            continue
        off = f"+{s['startOffset']:.2f}" if s.get("startOffset") is not None else "-"
        dur = f"{s['duration']:.2f}s" if s.get("duration") is not None else "-"
        extra = f"  {s['message']}" if s.get("state") == "failed" and s.get("message") else ""
        w(f"  {s['step']:20} {s['state']:10} {off:>9} {dur:>9}{extra}")
    if t.get("serviceStart") is not None:
        w(f"  (oms-upgrade's own figures: downtime {fmt_s(t['downtime'])}, stop -> init done "
          f"{fmt_s(t['toolControlledDowntime'])}, service start {fmt_s(t['serviceStart'])})")
    offsets = [v for st in (status or {}).get("steps", []) for v in (st.get("startOffset"), st.get("duration"))
               if isinstance(v, (int, float))]
    if offsets and all(float(v).is_integer() for v in offsets):
        w("note: every oms-upgrade step offset and duration is a whole number of seconds: the journal keeps"
          " 1 s timestamps, so its figures can be off by up to a second each; the docker-clock rows are exact")
    for note in env.get("notes", "").split("|"):
        if note:
            w(f"note: {note}")
    print("\n".join(out))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"env": env, "guide": g, "oms-upgrade": t}, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
