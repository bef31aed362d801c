#!/usr/bin/env python3
"""Real-socket load against `mailscope serve` on loopback (MailScope issue 9).

Starts `mailscope serve` on bench/bridge/zero-latency.json at speed 1 (links without delay, so
what is measured is MailScope's own cost) and, all at once:

  * SESSIONS normal SMTP sessions on port 25, all connected at the same time (each waits after
    its EHLO until every session is in), submitting MESSAGES messages between them, each with its
    own Message-ID; every session must end within SESSION_DEADLINE seconds;
  * SLOW clients typing one byte per second for as long as the normal load runs, then sending
    the rest of their message at once (the server must have kept their half-typed session);
  * VANISHING clients that disappear in the middle of DATA (half with FIN, half with RST): none
    of their messages may be stored;
  * BAD_LOGINS wrong-password logins, half IMAP LOGIN and half POP3 USER/PASS, each of which must
    be refused (NO / -ERR) within SESSION_DEADLINE seconds.

Afterwards it checks that serve delivered every message it accepted, that an IMAP reader and a
POP3 reader each see exactly the accepted messages (count and Message-IDs), and that the serve
process's file descriptors and memory came back. The whole load must finish within DEADLINE s.

Memory: the simulator records every event of the run in its trace and keeps every delivered
message in the mailbox, both by design, so "memory comes back" cannot mean the resident size
returns to where it was. The trace lives in its own mapped blocks, outside the heap; everything
else (connections, sessions, buffers, queues, the mail store) is on the heap. So the check is on
the heap the process has in use (serve's STATS line, from glibc's mallinfo2), against the level
measured after a warm-up: after the load it may exceed it by the bytes of the stored mail, plus
MEMORY_SLACK_PER_MESSAGE bytes per message stored (the store's index entry, flags and dates of
each message), plus MEMORY_SLACK_PER_FLOW per connection the trace describes (its flow entry:
names and a label), plus a fixed MEMORY_SLACK_FIXED (containers keep the capacity they reached
at the peak: the simulator's event queue, the mailbox's list of messages). An open connection costs about 24 KiB of
heap (its session, buffers and virtual TCP connection; the heap at the peak says so), so leaking
the sessions of even the small CTest run fails this. The resident set size
is printed (with the trace's blocks and the stored mail taken off) but not checked: glibc keeps
freed heap pages that share a page with live data (the stored messages arrive between the
sessions' buffers), so RSS stays near its peak even when nothing leaked. --no-memory-check skips
the heap check (sanitizer builds, whose allocator keeps freed memory in quarantine on purpose).

Exit status 0 when every check passed, 1 otherwise. Python 3 standard library only.

  bridge_load.py --mailscope build/default/sim/cli/mailscope
  bridge_load.py --mailscope ... --sessions 50 --messages 500 --slow 3 --vanishing 3 \
                 --bad-logins 10 --deadline 60
"""
import argparse
import asyncio
import json
import os
import queue
import re
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCENARIO = os.path.join(HERE, "..", "..", "bench", "bridge", "zero-latency.json")
SERVER = "mx.bench.test"
DOMAIN = "bench.test"
PASSWORD = "bob-secret"
MIB = 1024 * 1024
# What the heap keeps by design besides the stored bytes (see the docstring): per stored message
# the store's index entry, flags and dates; per connection the trace's description of its flow.
MEMORY_SLACK_PER_MESSAGE = 512
MEMORY_SLACK_PER_FLOW = 512
MEMORY_SLACK_FIXED = MIB
BODY = "x" * 400


class Failure(Exception):
    pass


# ---- the serve process ------------------------------------------------------------------------

class Serve:
    """`mailscope serve` as a child whose standard output is read line by line on a thread."""

    def __init__(self, binary, scenario, connections_max):
        command = [binary, "serve", scenario, "--speed", "1",
                   "--connections-max", str(connections_max),
                   "--expose", SERVER + ":25=0", "--expose", SERVER + ":143=0",
                   "--expose", SERVER + ":110=0"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        self.pid = self.process.pid
        self.lines = queue.Queue()
        self.stats_lock = threading.Lock()  # one SIGUSR1 and its answer at a time
        threading.Thread(target=self._read, daemon=True).start()
        try:
            ready = self._line_starting("READY ", 30)
        except Failure:
            self.process.kill()
            self.process.wait()
            raise
        self.ports = json.loads(ready[len("READY "):])

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _line_starting(self, prefix, timeout_s):
        until = time.monotonic() + timeout_s
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, until - time.monotonic()))
            except queue.Empty:
                raise Failure("serve printed no %sline within %d s" % (prefix, timeout_s))
            if line is None:
                raise Failure("serve exited (status %s) before a %sline" %
                              (self.process.wait(), prefix))
            if line.startswith(prefix):
                return line

    def stats(self):
        """A fresh STATS line (serve prints one on SIGUSR1), as a dict."""
        with self.stats_lock:
            self.process.send_signal(signal.SIGUSR1)
            return json.loads(self._line_starting("STATS ", 30)[len("STATS "):])

    def port(self, vport):
        return self.ports["%s:%d" % (SERVER, vport)]

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.pid))

    def rss(self):
        with open("/proc/%d/status" % self.pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self):
        """SIGTERM; returns the exit status and the last STATS line."""
        self.process.send_signal(signal.SIGTERM)
        final = None
        try:
            final = json.loads(self._line_starting("STATS ", 30)[len("STATS "):])
        except Failure:
            pass
        try:
            return self.process.wait(timeout=30), final
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -1, final


# ---- protocol helpers -------------------------------------------------------------------------

async def smtp_reply(reader):
    """One SMTP reply (all its lines); returns (code, text)."""
    lines = []
    while True:
        line = await reader.readline()
        if not line:
            raise Failure("connection closed while waiting for a reply")
        lines.append(line)
        if len(line) < 4 or line[3:4] != b"-":
            return line[:3].decode(errors="replace"), b"".join(lines).decode(errors="replace")


async def smtp_command(reader, writer, text, code):
    writer.write(text)
    await writer.drain()
    got, reply = await smtp_reply(reader)
    if got != code:
        raise Failure("%r answered %r" % (text[:40], reply.strip()))


def message_text(message_id, session, number):
    return ("From: alice@%s\r\nTo: bob@%s\r\nSubject: load %d.%d\r\nMessage-ID: %s\r\n\r\n%s\r\n"
            % (DOMAIN, DOMAIN, session, number, message_id, BODY))


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def close_with_reset(writer):
    """Close so that the kernel sends RST instead of FIN (SO_LINGER with a zero timeout)."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.close()


# ---- the load ---------------------------------------------------------------------------------

class Load:
    def __init__(self, args, serve, tag):
        self.args = args
        self.serve = serve
        self.tag = tag  # distinguishes this run's Message-IDs from the warm-up's
        self.accepted = set()  # Message-IDs that got 250 after DATA
        self.abandoned = set()  # Message-IDs of vanishing clients
        self.session_seconds = []
        self.transaction_seconds = []
        self.bad_login_seconds = []
        self.errors = []
        self.deadline_misses = 0
        self.connected = 0
        self.sessions = 0  # normal sessions in this run
        self.settled = 0  # normal sessions connected or failed before the barrier
        self.all_in = asyncio.Event()
        self.normal_done = asyncio.Event()
        self.peak_concurrent = 0
        self.open_sessions = 0
        self.peak_fds = 0
        self.peak_rss = 0
        self.peak_heap = 0
        self.sampling = False

    def _settle(self):
        self.settled += 1
        if self.settled == self.sessions:
            self.all_in.set()

    async def normal_session(self, index, count):
        start = time.monotonic()
        writer = None
        counted = False
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.serve.port(25))
            code, reply = await smtp_reply(reader)
            if code != "220":
                raise Failure("greeting " + reply.strip())
            await smtp_command(reader, writer, b"EHLO load%d.example\r\n" % index, "250")
            self.connected += 1
            self.open_sessions += 1
            counted = True
            self.peak_concurrent = max(self.peak_concurrent, self.open_sessions)
            self._settle()
            await self.all_in.wait()
            for number in range(count):
                message_id = "<%s-%d-%d@load.example>" % (self.tag, index, number)
                begun = time.monotonic()
                await smtp_command(reader, writer, b"MAIL FROM:<alice@%s>\r\n" % DOMAIN.encode(),
                                   "250")
                await smtp_command(reader, writer, b"RCPT TO:<bob@%s>\r\n" % DOMAIN.encode(), "250")
                await smtp_command(reader, writer, b"DATA\r\n", "354")
                await smtp_command(reader, writer,
                                   (message_text(message_id, index, number) + ".\r\n").encode(),
                                   "250")
                self.accepted.add(message_id)
                self.transaction_seconds.append(time.monotonic() - begun)
            await smtp_command(reader, writer, b"QUIT\r\n", "221")
        except (Failure, OSError, asyncio.IncompleteReadError) as error:
            self.errors.append("session %d: %s" % (index, error))
            if not counted:
                self._settle()
        finally:
            if counted:
                self.open_sessions -= 1
            if writer is not None:
                writer.close()
        elapsed = time.monotonic() - start
        self.session_seconds.append(elapsed)
        if elapsed > self.args.session_deadline:
            self.deadline_misses += 1

    async def slow_client(self, index):
        """One byte per second while the normal load runs, then the rest at full speed."""
        message_id = "<%s-slow-%d@load.example>" % (self.tag, index)
        lines = [(b"EHLO slow%d.example\r\n" % index, "250"),
                 (b"MAIL FROM:<alice@%s>\r\n" % DOMAIN.encode(), "250"),
                 (b"RCPT TO:<bob@%s>\r\n" % DOMAIN.encode(), "250"),
                 (b"DATA\r\n", "354"),
                 ((message_text(message_id, 1000000 + index, 0) + ".\r\n").encode(), "250"),
                 (b"QUIT\r\n", "221")]
        writer = None
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.serve.port(25))
            code, reply = await smtp_reply(reader)
            if code != "220":
                raise Failure("greeting " + reply.strip())
            for text, want in lines:
                sent = 0
                while sent < len(text) and not self.normal_done.is_set():
                    writer.write(text[sent:sent + 1])
                    await writer.drain()
                    sent += 1
                    try:
                        await asyncio.wait_for(self.normal_done.wait(), 1.0)
                    except asyncio.TimeoutError:
                        pass
                writer.write(text[sent:])
                await writer.drain()
                got, reply = await smtp_reply(reader)
                if got != want:
                    raise Failure("%r answered %r" % (text[:40], reply.strip()))
                if want == "250" and text.endswith(b"\r\n.\r\n"):
                    self.accepted.add(message_id)
        except (Failure, OSError, asyncio.IncompleteReadError) as error:
            self.errors.append("slow client %d: %s" % (index, error))
        finally:
            if writer is not None:
                writer.close()

    async def vanishing_client(self, index):
        """Disappears half-way through DATA: FIN for even indices, RST for odd ones."""
        message_id = "<%s-vanished-%d@load.example>" % (self.tag, index)
        self.abandoned.add(message_id)
        await asyncio.sleep(0.05 * index)
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.serve.port(25))
            code, reply = await smtp_reply(reader)
            if code != "220":
                raise Failure("greeting " + reply.strip())
            await smtp_command(reader, writer, b"EHLO gone%d.example\r\n" % index, "250")
            await smtp_command(reader, writer, b"MAIL FROM:<alice@%s>\r\n" % DOMAIN.encode(), "250")
            await smtp_command(reader, writer, b"RCPT TO:<bob@%s>\r\n" % DOMAIN.encode(), "250")
            await smtp_command(reader, writer, b"DATA\r\n", "354")
            text = message_text(message_id, 2000000 + index, 0).encode()
            writer.write(text[:len(text) // 2])
            await writer.drain()
            if index % 2:
                close_with_reset(writer)
            else:
                writer.close()
        except (Failure, OSError, asyncio.IncompleteReadError) as error:
            self.errors.append("vanishing client %d: %s" % (index, error))

    async def bad_login(self, index):
        """A wrong password: IMAP LOGIN for even indices, POP3 USER/PASS for odd ones."""
        await asyncio.sleep(0.01 * index)
        start = time.monotonic()
        writer = None
        try:
            if index % 2 == 0:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.serve.port(143))
                greeting = await reader.readline()
                if not greeting.startswith(b"* OK"):
                    raise Failure("IMAP greeting %r" % greeting)
                writer.write(b"a1 LOGIN bob wrong-%d\r\n" % index)
                line = await reader.readline()
                while line.startswith(b"* "):
                    line = await reader.readline()
                if not line.startswith(b"a1 NO"):
                    raise Failure("IMAP LOGIN with a wrong password answered %r" % line)
                writer.write(b"a2 LOGOUT\r\n")
            else:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.serve.port(110))
                greeting = await reader.readline()
                if not greeting.startswith(b"+OK"):
                    raise Failure("POP3 greeting %r" % greeting)
                writer.write(b"USER bob\r\n")
                if not (await reader.readline()).startswith(b"+OK"):
                    raise Failure("POP3 USER refused")
                writer.write(b"PASS wrong-%d\r\n" % index)
                line = await reader.readline()
                if not line.startswith(b"-ERR"):
                    raise Failure("POP3 PASS with a wrong password answered %r" % line)
                writer.write(b"QUIT\r\n")
            await writer.drain()
            await reader.read()  # until the server closes
        except (Failure, OSError, asyncio.IncompleteReadError) as error:
            self.errors.append("bad login %d: %s" % (index, error))
        finally:
            if writer is not None:
                writer.close()
        elapsed = time.monotonic() - start
        self.bad_login_seconds.append(elapsed)
        if elapsed > self.args.session_deadline:
            self.deadline_misses += 1

    async def sample(self):
        """The serve process's peaks: descriptors and RSS every 0.1 s, its heap every 0.5 s."""
        tick = 0
        while self.sampling:
            self.peak_fds = max(self.peak_fds, self.serve.fds())
            self.peak_rss = max(self.peak_rss, self.serve.rss())
            if tick % 5 == 0:
                stats = await asyncio.to_thread(self.serve.stats)
                self.peak_heap = max(self.peak_heap, stats["heap_bytes"])
            tick += 1
            await asyncio.sleep(0.1)

    async def run(self, sessions, messages, slow, vanishing, bad_logins):
        self.sessions = sessions
        self.sampling = True
        sampler = asyncio.ensure_future(self.sample())
        share, extra = divmod(messages, sessions) if sessions else (0, 0)
        normal = [asyncio.ensure_future(self.normal_session(i, share + (1 if i < extra else 0)))
                  for i in range(sessions)]
        others = [asyncio.ensure_future(self.slow_client(i)) for i in range(slow)]
        others += [asyncio.ensure_future(self.vanishing_client(i)) for i in range(vanishing)]
        others += [asyncio.ensure_future(self.bad_login(i)) for i in range(bad_logins)]
        if sessions == 0:
            self.all_in.set()
        await asyncio.gather(*normal)
        self.normal_done.set()
        await asyncio.gather(*others)
        self.sampling = False
        await sampler


# ---- the readers ------------------------------------------------------------------------------

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


async def imap_message_ids(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=64 * MIB)
    await reader.readline()
    writer.write(b"a1 LOGIN bob " + PASSWORD.encode() + b"\r\na2 SELECT INBOX\r\n")
    writer.write(b"a3 FETCH 1:* (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])\r\n")
    await writer.drain()
    data = b""
    while b"\r\na3 " not in data:
        chunk = await reader.read(1 << 20)
        if not chunk:
            raise Failure("IMAP reader: connection closed")
        data += chunk
    status = data[data.index(b"\r\na3 ") + 2:].split(b"\r\n", 1)[0]
    if not status.startswith(b"a3 OK"):
        raise Failure("IMAP FETCH answered %r (%r)" % (status, data[:200]))
    exists = re.search(rb"^\* (\d+) EXISTS", data, re.MULTILINE)
    writer.write(b"a4 LOGOUT\r\n")
    await writer.drain()
    await reader.read()
    writer.close()
    fetched = len(re.findall(rb"^\* \d+ FETCH ", data, re.MULTILINE))
    return (int(exists.group(1)) if exists else -1, fetched,
            [m.decode() for m in MESSAGE_ID.findall(data)])


async def pop3_message_ids(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=64 * MIB)
    await reader.readline()
    writer.write(b"USER bob\r\nPASS " + PASSWORD.encode() + b"\r\nSTAT\r\n")
    await writer.drain()
    for _ in range(2):
        line = await reader.readline()
        if not line.startswith(b"+OK"):
            raise Failure("POP3 login answered %r" % line)
    stat = await reader.readline()
    if not stat.startswith(b"+OK"):
        raise Failure("POP3 STAT answered %r" % stat)
    count = int(stat.split()[1])
    ids = []
    batch = 200  # PIPELINING is offered; a batch keeps both sides' buffers small
    for first in range(1, count + 1, batch):
        numbers = range(first, min(count, first + batch - 1) + 1)
        writer.write(b"".join(b"TOP %d 0\r\n" % n for n in numbers))
        await writer.drain()
        for _ in numbers:
            status = await reader.readline()
            if not status.startswith(b"+OK"):
                raise Failure("POP3 TOP answered %r" % status)
            header = b""
            while True:
                line = await reader.readline()
                if line in (b".\r\n", b""):
                    break
                header += line
            ids += [m.decode() for m in MESSAGE_ID.findall(header)]
    writer.write(b"QUIT\r\n")
    await writer.drain()
    await reader.read()
    writer.close()
    return count, ids


# ---- the run ----------------------------------------------------------------------------------

def raise_descriptor_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, max(needed, soft))
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft < needed:
        raise Failure("the hard limit on open files (%d) is below the %d this load needs" %
                      (hard, needed))


async def wait_for(serve, predicate, timeout_s):
    until = time.monotonic() + timeout_s
    while True:
        stats = await asyncio.to_thread(serve.stats)
        if predicate(stats) or time.monotonic() > until:
            return stats
        await asyncio.sleep(0.1)


def mib(n):
    return "%.1f MiB" % (n / MIB)


async def main_async(args, serve, failures):
    def check(ok, what):
        print("  %-6s %s" % ("ok" if ok else "FAILED", what))
        if not ok:
            failures.append(what)

    # Warm-up: a few of each kind of session, so that what is allocated once (pools, the
    # first mailbox index, the listeners' first accept) is in the starting level.
    warm = Load(args, serve, "warm")
    await warm.run(min(10, args.sessions), min(10, args.messages), 0, 0, 2)
    if warm.errors:
        raise Failure("warm-up: " + "; ".join(warm.errors[:5]))
    await wait_for(serve, lambda s: s["connections_open"] == 0 and
                   s["messages_delivered"] >= s["messages_queued"], 30)
    await asyncio.sleep(2.5)  # the virtual TCP's TIME_WAIT (2 s at speed 1)
    before = await asyncio.to_thread(serve.stats)
    fds_before, rss_before = serve.fds(), serve.rss()

    load = Load(args, serve, "load")
    started = time.monotonic()
    try:
        await asyncio.wait_for(
            load.run(args.sessions, args.messages, args.slow, args.vanishing, args.bad_logins),
            args.deadline)
        timed_out = False
    except asyncio.TimeoutError:
        timed_out = True
        load.sampling = False
    load_seconds = time.monotonic() - started

    # Deliveries, then the readers.
    expected = load.accepted | warm.accepted
    delivered_stats = await wait_for(
        serve, lambda s: s["messages_delivered"] >= s["messages_queued"] and
        s["connections_open"] == 0, 30)
    imap_exists, imap_fetched, imap_ids = await imap_message_ids(serve.port(143))
    pop3_count, pop3_ids = await pop3_message_ids(serve.port(110))

    # And what came back.
    after = await wait_for(serve, lambda s: s["connections_open"] == 0, 30)
    await asyncio.sleep(2.5)
    after = await asyncio.to_thread(serve.stats)
    fds_after, rss_after = serve.fds(), serve.rss()

    queued = after["messages_queued"] - before["messages_queued"]
    delivered = delivered_stats["messages_delivered"] - before["messages_delivered"]
    trace_growth = after["trace_bytes"] - before["trace_bytes"]
    stored_growth = after["mailbox_bytes"] - before["mailbox_bytes"]
    stored_messages = after["mailbox_messages"] - before["mailbox_messages"]
    heap_left = after["heap_bytes"] - before["heap_bytes"] - stored_growth
    rss_left = rss_after - rss_before - trace_growth - stored_growth
    flows = after["trace_flows"] - before["trace_flows"]
    heap_allowed = (MEMORY_SLACK_FIXED + MEMORY_SLACK_PER_MESSAGE * stored_messages +
                    MEMORY_SLACK_PER_FLOW * flows)

    print("load: %d sessions, %d messages, %d slow, %d vanishing, %d bad logins: %.1f s "
          "(deadline %g s)" % (args.sessions, args.messages, args.slow, args.vanishing,
                               args.bad_logins, load_seconds, args.deadline))
    print("  concurrent SMTP sessions at the peak: %d" % load.peak_concurrent)
    print("  accepted %d (load) + %d (warm-up); serve queued %d, delivered %d during the load" %
          (len(load.accepted), len(warm.accepted), queued, delivered))
    print("  IMAP: %d EXISTS, %d FETCH, %d Message-IDs; POP3: %d messages, %d Message-IDs" %
          (imap_exists, imap_fetched, len(imap_ids), pop3_count, len(pop3_ids)))
    s, t, b = load.session_seconds, load.transaction_seconds, load.bad_login_seconds
    print("  session seconds: p50 %.3f p90 %.3f p99 %.3f worst %.3f (deadline %g s)" %
          (percentile(s, .5), percentile(s, .9), percentile(s, .99), max(s or [0]),
           args.session_deadline))
    print("  message seconds (MAIL to 250): p50 %.4f p90 %.4f p99 %.4f worst %.4f" %
          (percentile(t, .5), percentile(t, .9), percentile(t, .99), max(t or [0])))
    print("  bad-login seconds: p50 %.3f worst %.3f" % (percentile(b, .5), max(b or [0])))
    print("  fds: %d before, %d at the peak, %d after" % (fds_before, load.peak_fds, fds_after))
    print("  rss: %s before, %s at the peak, %s after" %
          (mib(rss_before), mib(load.peak_rss), mib(rss_after)))
    print("  heap in use: %s before, %s at the peak, %s after; trace %s -> %s, mailboxes %s -> %s"
          % (mib(before["heap_bytes"]), mib(load.peak_heap), mib(after["heap_bytes"]),
             mib(before["trace_bytes"]),
           mib(after["trace_bytes"]), mib(before["mailbox_bytes"]), mib(after["mailbox_bytes"])))
    print("  heap growth beyond the stored mail: %s (allowed %s for %d messages, %d flows); "
          "rss growth beyond the trace and the stored mail: %s (not checked)" %
          (mib(heap_left), mib(heap_allowed), stored_messages, flows, mib(rss_left)))
    for error in load.errors[:20]:
        print("  error: " + error)

    print("checks:")
    check(not timed_out, "the load finished within %g s" % args.deadline)
    check(not load.errors, "no session failed (%d did)" % len(load.errors))
    check(load.deadline_misses == 0,
          "no session missed its %g s deadline (%d did)" % (args.session_deadline,
                                                            load.deadline_misses))
    check(load.peak_concurrent == args.sessions,
          "all %d SMTP sessions were open at once" % args.sessions)
    check(len(load.accepted) == args.messages + args.slow,
          "every message was accepted (%d of %d)" % (len(load.accepted),
                                                     args.messages + args.slow))
    check(queued == len(load.accepted), "serve queued what the clients were told it accepted")
    check(delivered == queued, "serve delivered every message it accepted")
    check(imap_exists == len(expected) and sorted(imap_ids) == sorted(expected),
          "IMAP sees every accepted message, by count and Message-ID, and nothing else")
    check(pop3_count == len(expected) and sorted(pop3_ids) == sorted(expected),
          "POP3 sees every accepted message, by count and Message-ID, and nothing else")
    check(not (load.abandoned & (set(imap_ids) | set(pop3_ids))),
          "no message of a vanishing client was stored")
    check(fds_after == fds_before, "file descriptors back to %d" % fds_before)
    check(after["connections_open"] == 0, "no real connection left open in serve")
    if args.no_memory_check:
        print("  skip   heap back to its starting level (--no-memory-check)")
    else:
        check(heap_left <= heap_allowed,
              "heap back to its starting level, apart from the stored mail")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mailscope", required=True, help="the mailscope binary")
    parser.add_argument("--scenario", default=DEFAULT_SCENARIO)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--slow", type=int, default=10)
    parser.add_argument("--vanishing", type=int, default=10)
    parser.add_argument("--bad-logins", type=int, default=100)
    parser.add_argument("--deadline", type=float, default=60, help="seconds for the whole load")
    parser.add_argument("--session-deadline", type=float, default=30,
                        help="seconds for each session (and each bad login)")
    parser.add_argument("--no-memory-check", action="store_true")
    args = parser.parse_args()
    if args.sessions < 1 or args.messages < args.sessions:
        parser.error("need at least one session and one message per session")

    connections = args.sessions + args.slow + args.vanishing + args.bad_logins + 16
    failures = []
    serve = None
    try:
        raise_descriptor_limit(connections + 64)
        serve = Serve(args.mailscope, args.scenario, connections)
        asyncio.run(main_async(args, serve, failures))
    except Failure as error:
        failures.append(str(error))
        print("FAILED: %s" % error)
    finally:
        if serve is not None:
            status, final = serve.stop()
            if status != 0:
                failures.append("serve exited with status %s" % status)
                print("FAILED: serve exited with status %s" % status)
            if final is not None:
                print("serve's last STATS: %s" % json.dumps(final))
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
