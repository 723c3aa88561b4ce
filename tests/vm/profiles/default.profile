# The default ci-check traffic profile: light UDP load that a TCG guest takes without loss,
# so that latencies measure the receive path rather than a growing queue.
# KEY=VALUE lines (read, not executed); any key left out takes ci-check's default.
RATE=1000           # frames per second sent into the guest NIC
FLOWS=4             # UDP flows (source address/port pairs)
PAYLOAD=64          # UDP payload bytes of each frame
DURATION=4          # seconds of traffic per recorded run
WARMUP=2            # seconds of unrecorded traffic after boot (TCG translates code once)
RUNS=12             # K: recorded runs per side (docs/ci.md, "Choosing K": `ci-check --plan` advised 8-11 for poll at 30% on the development machine)
SMP=1               # guest CPUs: one leaves a host core to QEMU's I/O thread and rxgen
QUANTILE=p50        # the quantile compare judges (see docs/ci.md: TCG tails measure the host)
MAX_REGRESSION=30%  # the slow-down that matters: "ok" means one this large is ruled out
STAGES=poll         # judged (the others are shown): under TCG only poll's spread lets K=12 decide (docs/ci.md)
