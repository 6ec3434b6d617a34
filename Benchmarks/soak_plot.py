#!/usr/bin/env python3
"""soak_plot.py SOAK_CSV PNG: the proxy's RSS, open fds (by kind) and request rate over a soak run
(Benchmarks/soak_load.py's CSV), warm-up shaded, the two compared windows marked (from
soak-windows.json beside the CSV)."""
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(csv_path, png_path):
    with open(csv_path) as source:
        rows = [row for row in csv.DictReader(source)]
    with open(os.path.join(os.path.dirname(csv_path), "soak-windows.json")) as source:
        windows = json.load(source)
    warmup, window, end = windows["warmup_s"], windows["window_s"], windows["load_end_s"]
    minutes = [float(row["elapsed_s"]) / 60 for row in rows]
    rss = [int(row["rss_kb"]) / 1024 for row in rows]
    fds = [int(row["fds"]) for row in rows]
    rate_minutes, rate = [], []
    for before, after in zip(rows, rows[1:]):
        if after["phase"] == "load":
            rate_minutes.append(float(after["elapsed_s"]) / 60)
            rate.append((int(after["requests"]) - int(before["requests"])) / (float(after["elapsed_s"]) - float(before["elapsed_s"])))

    figure, axes = plt.subplots(3, 1, figsize=(10, 8), sharex=True, gridspec_kw={"height_ratios": [3, 3, 2]})
    axes[0].plot(minutes, rss, marker=".", linewidth=1)
    axes[0].set_ylim(0, max(rss) * 1.15)
    axes[0].set_ylabel("RSS (MB)")
    kinds = ["fds_clients", "fds_upstream", "fds_redis", "fds_other"]
    axes[1].stackplot(minutes, *[[int(row[kind]) for row in rows] for kind in kinds], alpha=0.45,
                      labels=["clients", "upstream (mocks)", "Redis", "other (listen, epoll, pipes, files)"])
    axes[1].plot(minutes, fds, marker=".", linewidth=1, color="black", label="all")
    axes[1].set_ylim(0, max(fds) * 1.4)
    axes[1].set_ylabel("open fds")
    axes[1].legend(loc="upper left", fontsize=7, ncol=5)
    axes[2].plot(rate_minutes, rate, color="tab:green", linewidth=1)
    axes[2].set_ylabel("requests/s")
    axes[2].set_ylim(0, max(rate) * 1.2 if rate else 1)
    axes[2].set_xlabel("minutes")
    for axis in axes:
        axis.axvspan(0, warmup / 60, color="0.85", zorder=0, label="warm-up")
        axis.axvspan(warmup / 60, (warmup + window) / 60, color="tab:blue", alpha=0.12, zorder=0, label="baseline window")
        axis.axvspan((end - window) / 60, end / 60, color="tab:orange", alpha=0.15, zorder=0, label="final window")
        axis.axvline(end / 60, color="0.4", linestyle=":", linewidth=1)
        axis.grid(alpha=0.3)
    axes[0].legend(loc="lower right", fontsize=7)
    axes[0].set_title(f"aiproxy soak: {end / 60:.0f} min of mixed load, one instance on Redis (samples every 10 s; idle after the dotted line)")
    figure.tight_layout()
    figure.savefig(png_path, dpi=90)


if __name__ == "__main__":
    main(*sys.argv[1:])
