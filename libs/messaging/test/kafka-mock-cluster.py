#!/usr/bin/python3
"""librdkafka's in-process mock Kafka cluster, for integration tests without a real broker.

Usage: /usr/bin/python3 kafka-mock-cluster.py [--brokers N] [--topic NAME ...]
Needs the Debian package python3-confluent-kafka (librdkafka >= 1.x with the mock cluster).

Prints the bootstrap address (host:port[,host:port]) as one line on stdout, then serves until
stdin closes or SIGTERM/SIGINT arrives. --topic pre-creates a topic (auto-created through a
metadata request) so consumers can subscribe before the first produce.
Known limits of the mock: no CreateTopics admin call, no idempotent producer (InitProducerId
reports controller id 0), and its data lives only as long as this process.
"""
import argparse
import signal
import sys

from confluent_kafka import Producer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brokers", type=int, default=1)
    parser.add_argument("--topic", action="append", default=[])
    args = parser.parse_args()

    # Any client with test.mock.num.brokers starts a mock cluster inside this process; the
    # client itself only keeps it alive and tells us where its brokers listen.
    client = Producer({"test.mock.num.brokers": args.brokers, "log_level": 3})
    metadata = client.list_topics(timeout=10)
    for topic in args.topic:
        client.list_topics(topic=topic, timeout=10)
    bootstrap = ",".join(f"{b.host}:{b.port}" for b in sorted(metadata.brokers.values(), key=lambda b: b.id))
    print(bootstrap, flush=True)

    def stop(_signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        # Blocks until the parent closes our stdin (or dies), so no orphaned cluster is left.
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        client.flush(1)


if __name__ == "__main__":
    main()
