# Never finishes: proves that run-vm.sh's time limit powers a hung guest off.
rxs_log "hanging on purpose"
sleep 100000
