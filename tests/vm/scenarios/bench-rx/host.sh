# Traffic at RATE (default 150k pps offered, far above what a TCG guest takes) for each measurement the guest asks for (go-R-MODE -> sent-R-MODE).
MODES=${MODES:-igb rxscope_igb}
RUNS=${RUNS:-5}
for r in $(seq "$RUNS"); do
	for m in $MODES; do
		for _ in $(seq 3000); do [ -e "$OUT/go-$r-$m" ] && break; sleep 0.1; done
		[ -e "$OUT/go-$r-$m" ] || { echo "the guest never asked for run $r $m"; exit 1; }
		scraper=
		case $m in
		*+scrape)	# a scrape every second while the traffic lasts, each with a 1 s
				# timeout (as Prometheus with scrape_interval = scrape_timeout = 1s)
			( for i in $(seq "${DURATION:-5}"); do
				curl -s -m 1 -o /dev/null -w '%{http_code}\n' \
					"http://$QEMU_MGMT/metrics" > "$OUT/scrape-$r-$m-$i.code" &
				sleep 1
			  done
			  wait ) &
			scraper=$! ;;
		esac
		"$RXGEN" --qemu "$QEMU_RX" --dst-mac "$GUEST_MAC" --dst-ip "$GUEST_IP" \
			--dst-port 9000 --rate "${RATE:-150000}" --duration "${DURATION:-5}" --flows 8 --size 64 \
			--quiet --summary "$OUT/gen-$r-$m.txt" || exit 1
		if [ -n "$scraper" ]; then
			wait "$scraper"
			cat "$OUT"/scrape-"$r-$m"-*.code | awk '{ n++; if ($1 == 200) ok++ }
				END { printf "scrapes=%d\nanswered=%d\n", n, ok }' > "$OUT/scrapes-$r-$m.txt"
			rm -f "$OUT"/scrape-"$r-$m"-*.code
		fi
		: > "$OUT/sent-$r-$m"
	done
done
