#!/usr/bin/env python3
"""Renders the table of scripts/bench-multinode.sh from its results directory.

Reads results.env (key=value), the per-node health poller files (KEY-PHASE.health.I: "up|down
epoch" on every change), the `oms-upgrade status --json` documents (KEY-PHASE.status.json) and the
guide scripts' marks (KEY-PHASE.timings). Prints the table on stdout; with --json FILE also writes
the numbers as one JSON document.
"""
import argparse
import glob
import json
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "upgrade"))
from benchfiles import load_env, load_json, load_marks  # noqa: E402

NODES_TARGET = 1.2  # 3-node tool outage at most 1.2x the 1-node tool outage
VARIANTS = [("tool1", "oms-upgrade, 1 node"), ("tool3", "oms-upgrade, 3 nodes"), ("guide3", "guide, 3 nodes")]


def node_files(d, key, phase):
    files = glob.glob(os.path.join(d, f"{key}-{phase}.health.*"))
    return sorted(files, key=lambda p: int(p.rsplit(".", 1)[1]))


def outage(d, key, phase):
    """The outage a user sees: the first node going down -> the last node healthy again.

    Per node: the first "down" after the poller saw it up, and the first "up" after that.
    Returns None when there are no poller files.
    """
    files = node_files(d, key, phase)
    if not files:
        return None
    nodes = []
    for path in files:
        down = up = None
        seen_up = False
        with open(path, encoding="utf-8") as f:
            for line in f:
                state, _, t = line.strip().partition(" ")
                t = float(t)
                if state == "up" and down is None:
                    seen_up = True
                elif state == "down" and seen_up and down is None:
                    down = t
                elif state == "up" and down is not None:
                    up = t
                    break
        nodes.append({"down": down, "up": up})
    seen = [n for n in nodes if n["down"] is not None]
    out = {"nodes": len(nodes), "seconds": None, "down_spread": None, "up_spread": None, "per_node": []}
    if not seen:
        out["problem"] = "no node was seen down"
    elif any(n["up"] is None for n in seen):
        out["problem"] = "a node did not come back healthy"
    else:
        # A node whose outage fell between two polls (a loaded host) is left out, and said so.
        first = min(n["down"] for n in seen)
        out["seconds"] = max(n["up"] for n in seen) - first
        out["down_spread"] = max(n["down"] for n in seen) - first
        out["up_spread"] = max(n["up"] for n in seen) - min(n["up"] for n in seen)
        out["per_node"] = [{"down": n["down"] - first, "up": n["up"] - first} if n["down"] is not None else None
                           for n in nodes]
        if len(seen) < len(nodes):
            out["problem"] = f"{len(nodes) - len(seen)} of {len(nodes)} node(s) not seen down (between two polls)"
    return out


def fmt(v, unit=" s", width=9):
    if v is None:
        return "-".rjust(width + len(unit))
    return f"{v:{width}.2f}{unit}"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def tool_phases(status):
    lines = []
    for s in (status or {}).get("steps", []):
        if s.get("state") == "pending":
            continue
        off, dur = s.get("startOffset"), s.get("duration")
        off_s = f"+{off:.2f}" if off is not None else "-"
        dur_s = f"{dur:.2f}s" if dur is not None else "-"
        lines.append(f"    {s.get('step', '?'):<20} {s.get('state', '?'):<11} {off_s:>9} {dur_s:>9}")
    return lines


def guide_phases(marks, order):
    if not order:
        return "-"
    t0 = marks[order[0]]
    parts = []
    prev = t0
    for name in order:
        parts.append(f"{name} +{marks[name] - t0:.2f} ({marks[name] - prev:.2f})")
        prev = marks[name]
    return ", ".join(parts)


def init_seconds(p):
    """The new image's docker_init.sh: the tool's init step, or the guide's started-new -> init-done."""
    for s in p.get("steps", []):
        if s.get("step") == "init" and s.get("state") == "completed":
            return s.get("duration")
    marks = p.get("marks") or {}
    if "started-new" in marks and "init-done" in marks:
        return marks["init-done"] - marks["started-new"]
    return None


def size_line(env, key):
    def num(name):
        v = env.get(f"{key}_{name}")
        return int(v) if v and v.isdigit() else None

    hb, rm, cm, b = num("hb_rows"), num("rm_rows"), num("cm_rows"), num("rmcm_bytes")
    if rm is None:
        return None
    return {"heartbeat_rows": hb, "rm_rows": rm, "cm_rows": cm, "rmcm_bytes": b,
            "text": f"heartbeat rows {hb:,}; rm {rm:,} rows, cm {cm:,} rows ({(b or 0) / 2**20:.1f} MiB data+index)"}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--json")
    args = ap.parse_args()
    d = args.dir
    env = load_env(os.path.join(d, "results.env"))

    data = {"mode": env.get("mode"), "date": env.get("date"), "from_image": env.get("from_image"),
            "to_image": env.get("to_image"), "host": env.get("host"), "tool_version": env.get("tool_version"),
            "heartbeat_rows_arg": env.get("heartbeat_rows_arg"), "project_rows_arg": env.get("project_rows_arg"),
            "variants": {}, "ratios": {}, "notes": [n for n in env.get("notes", "").split("|") if n]}
    for key, label in VARIANTS:
        v = {"label": label, "layout": env.get(f"{key}_layout"), "sizes": size_line(env, key)}
        for phase in ("apply", "rollback"):
            if f"{key}_{phase}_rc" not in env:
                continue
            p = {"rc": int(env[f"{key}_{phase}_rc"]), "wall": float(env[f"{key}_{phase}_wall"]),
                 "outage": outage(d, key, phase)}
            status = load_json(os.path.join(d, f"{key}-{phase}.status.json"))
            if status is not None:
                p["status"] = {k: status.get(k) for k in (
                    "downtimeSeconds", "toolControlledDowntimeSeconds", "serviceStartSeconds",
                    "onlinePhaseSeconds", "catchUpSeconds", "afterPhaseSeconds", "rollbackDowntimeSeconds")}
                p["steps"] = status.get("steps", [])
                p["own_seconds"] = status.get("rollbackDowntimeSeconds" if phase == "rollback" else "downtimeSeconds")
                p["own_controlled"] = status.get("toolControlledDowntimeSeconds") if phase == "apply" else None
            marks, order = load_marks(os.path.join(d, f"{key}-{phase}.timings"))
            if order:
                p["marks"] = {n: marks[n] - marks[order[0]] for n in order}
                p["mark_order"] = order
                end = "healthy"
                p["own_seconds"] = marks[end] - marks["stop-begin"] if end in marks and "stop-begin" in marks else None
                p["own_controlled"] = (marks["init-done"] - marks["stop-begin"]
                                       if phase == "apply" and "init-done" in marks else None)
            p["init_seconds"] = init_seconds(p) if phase == "apply" else None
            o = (p.get("outage") or {}).get("seconds")
            p["outage_without_init"] = o - p["init_seconds"] if o is not None and p["init_seconds"] is not None else None
            v[phase] = p
        data["variants"][key] = v

    def seconds(key, phase):
        p = data["variants"].get(key, {}).get(phase)
        return ((p or {}).get("outage") or {}).get("seconds")

    def own(key, phase, field="own_seconds"):
        return (data["variants"].get(key, {}).get(phase) or {}).get(field)

    r = data["ratios"]
    r["outage_tool3_over_tool1"] = ratio(seconds("tool3", "apply"), seconds("tool1", "apply"))
    r["outage_tool3_over_guide3"] = ratio(seconds("tool3", "apply"), seconds("guide3", "apply"))
    r["outage_tool1_over_guide3"] = ratio(seconds("tool1", "apply"), seconds("guide3", "apply"))
    r["own_tool3_over_tool1"] = ratio(own("tool3", "apply"), own("tool1", "apply"))
    r["without_init_tool3_over_tool1"] = ratio(own("tool3", "apply", "outage_without_init"),
                                               own("tool1", "apply", "outage_without_init"))
    r["rollback_outage_tool3_over_guide3"] = ratio(seconds("tool3", "rollback"), seconds("guide3", "rollback"))
    r["target_tool3_over_tool1"] = NODES_TARGET
    r["target_met"] = (r["outage_tool3_over_tool1"] is not None and r["outage_tool3_over_tool1"] <= NODES_TARGET)

    out = []
    out.append(f"OMS {data['from_image']} -> {data['to_image']} on the multi-node test bed: three nodes vs one node "
               f"(oms-upgrade) vs the guide node by node ({data['mode']} run, {data['date']})")
    for key, label in VARIANTS:
        s = data["variants"][key]["sizes"]
        layout = data["variants"][key]["layout"] or "-"
        out.append(f"  {label:<21} ({layout}): {s['text'] if s else 'not deployed'}")
    out.append(f"  seeded with --heartbeat-rows {data['heartbeat_rows_arg']} (per region) --project-rows "
               f"{data['project_rows_arg']}; host: {data['host']}")
    out.append(f"  {data['tool_version'] or ''}")
    out.append("")
    head = f"{'':<52}{'tool 1 node':>13}{'tool 3 nodes':>14}{'guide 3 nodes':>15}"
    out.append(head)
    out.append("-" * len(head))

    def row(label, f):
        cells = [f(k) for k, _ in VARIANTS]
        out.append(f"{label:<52}" + fmt(cells[0], width=11) + fmt(cells[1], width=12) + fmt(cells[2], width=13))

    def outage_field(phase, field):
        return lambda k: ((data["variants"][k].get(phase) or {}).get("outage") or {}).get(field)

    row("upgrade: outage seen on /oms/health (0.2 s poll)", outage_field("apply", "seconds"))
    row("  first node down -> last node down", outage_field("apply", "down_spread"))
    row("  first node healthy -> last node healthy", outage_field("apply", "up_spread"))
    row("  of which the new image's docker_init.sh", lambda k: own(k, "apply", "init_seconds"))
    row("  outage without that init", lambda k: own(k, "apply", "outage_without_init"))
    row("upgrade: own figure (stop -> every node healthy)", lambda k: own(k, "apply"))
    row("  stop -> init done (vendor init included)", lambda k: own(k, "apply", "own_controlled"))
    row("  catch-up inside the outage (tool)",
        lambda k: ((data["variants"][k].get("apply") or {}).get("status") or {}).get("catchUpSeconds"))
    row("  online phase before the stop (tool)",
        lambda k: ((data["variants"][k].get("apply") or {}).get("status") or {}).get("onlinePhaseSeconds"))
    row("upgrade: whole command, wall clock", lambda k: (data["variants"][k].get("apply") or {}).get("wall"))
    row("rollback: outage seen on /oms/health", outage_field("rollback", "seconds"))
    row("rollback: own figure (stop new -> every node healthy)", lambda k: own(k, "rollback"))
    row("rollback: whole command, wall clock", lambda k: (data["variants"][k].get("rollback") or {}).get("wall"))
    restored = [env.get(f"{k}_restored", "-") for k, _ in VARIANTS]
    if any(x != "-" for x in restored):
        out.append(f"{'rollback restored the pre-upgrade rm/cm rows':<52}"
                   f"{restored[0]:>13}{restored[1]:>14}{restored[2]:>15}")
        for (k, _), x in zip(VARIANTS, restored):
            if x != "-":
                data["variants"][k]["restored"] = x == "yes"
    out.append("")

    def rtext(v):
        return "-" if v is None else f"{v:.2f}x"

    t = r["outage_tool3_over_tool1"]
    verdict = "-" if t is None else ("met" if r["target_met"] else "MISSED")
    out.append(f"3-node tool / 1-node tool outage:   {rtext(t):>7}   target <= {NODES_TARGET:.1f}x: {verdict}"
               f"   (own figures: {rtext(r['own_tool3_over_tool1'])}; without init: "
               f"{rtext(r['without_init_tool3_over_tool1'])})")
    out.append(f"3-node tool / 3-node guide outage:  {rtext(r['outage_tool3_over_guide3']):>7}"
               f"   (1-node tool / 3-node guide: {rtext(r['outage_tool1_over_guide3'])})")
    if r["rollback_outage_tool3_over_guide3"] is not None:
        out.append(f"3-node rollback outage, tool / guide restore: {rtext(r['rollback_outage_tool3_over_guide3'])}")
    out.append("")

    for key, label in VARIANTS:
        for phase in ("apply", "rollback"):
            p = data["variants"][key].get(phase)
            if not p:
                continue
            o = p.get("outage") or {}
            nodes = ", ".join(f"down +{n['down']:.2f} up +{n['up']:.2f}" if n else "not seen down"
                              for n in o.get("per_node", []))
            problem = f" ({o['problem']})" if nodes and o.get("problem") else ""
            out.append(f"{label}, {phase} (exit {p['rc']}): per node (s since the first node went down): "
                       f"{nodes or o.get('problem', '-')}{problem}")
            if "steps" in p:
                steps = [s for s in p["steps"] if s.get("step", "").startswith("rollback") == (phase == "rollback")]
                out.extend(tool_phases({"steps": steps}))
            if "mark_order" in p:
                out.append("    " + guide_phases({n: p["marks"][n] for n in p["mark_order"]}, p["mark_order"]))
    if data["notes"]:
        out.append("")
        out.extend(f"note: {n}" for n in data["notes"])
    print("\n".join(out))

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
