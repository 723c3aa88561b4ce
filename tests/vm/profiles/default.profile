# The default ci-check traffic profile: light UDP load that a TCG guest takes without loss,
# so that latencies measure the receive path rather than a growing queue.
# KEY=VALUE lines (read, not executed); any key left out takes ci-check's default.
RATE=1000           # frames per second sent into the guest NIC
FLOWS=4             # UDP flows (source address/port pairs)
PAYLOAD=64          # UDP payload bytes of each frame
DURATION=4          # seconds of traffic per recorded run
WARMUP=2            # seconds of unrecorded traffic after boot (TCG translates code once)
RUNS=10             # K: recorded runs per side (docs/ci.md, "Choosing K": K=5 misses a 50 us poll delay in 3 of 10 comparisons, K=10 in none)
SMP=1               # guest CPUs: one leaves a host core to QEMU's I/O thread and rxgen
QUANTILE=p50        # the quantile compare judges (see docs/ci.md: TCG tails measure the host)
MAX_REGRESSION=15%  # the slow-down allowed before a stage counts as regressed
