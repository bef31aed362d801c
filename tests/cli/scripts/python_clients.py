"""Python's smtplib, imaplib and poplib against `mailscope serve cross-domain`.

Usage: python_clients.py CA_FILE SUBMISSION_PORT IMAPS_PORT POP3S_PORT

Alice submits on smtp.outlook.com:587 (STARTTLS, verified, AUTH); the simulation relays the
message to Gmail; Bob reads it over IMAPS and POP3S. Exits 0 when both copies carry exactly the
bytes Alice sent (after the headers the servers add on the way).
"""
import imaplib
import poplib
import smtplib
import ssl
import sys
import time

ca, submission, imaps, pop3s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
context = ssl.create_default_context(cafile=ca)
subject = "Interop from Python"
sent = ("From: alice@outlook.com\r\nTo: bob@gmail.com\r\nSubject: " + subject +
        "\r\nMessage-ID: <interop-1@outlook.com>\r\nDate: Thu, 01 Jan 2026 09:00:00 +0000"
        "\r\n\r\nHello Bob,\r\nthis crossed a simulated network.\r\n")

smtp = smtplib.SMTP("127.0.0.1", submission, timeout=30)
smtp._host = "smtp.outlook.com"  # the name the certificate is checked against
smtp.starttls(context=context)
smtp.login("alice@outlook.com", "wonderland")
smtp.sendmail("alice@outlook.com", ["bob@gmail.com"], sent)
smtp.quit()


def body_of(message: bytes) -> bytes:
    """The message from its first original header on (Received:/Return-Path: are added en route)."""
    return message[message.index(b"From: alice@outlook.com"):]


class Imap(imaplib.IMAP4_SSL):
    def _create_socket(self, timeout):  # connect to 127.0.0.1 but verify smtp.gmail.com
        sock = super(imaplib.IMAP4_SSL, self)._create_socket(timeout)
        return self.ssl_context.wrap_socket(sock, server_hostname="smtp.gmail.com")


found = None
deadline = time.time() + 30
while found is None and time.time() < deadline:
    imap = Imap("127.0.0.1", imaps, ssl_context=context)
    imap.login("bob@gmail.com", "builder")
    imap.select("INBOX")
    _, ids = imap.search(None, "SUBJECT", '"' + subject + '"')
    if ids[0]:
        _, data = imap.fetch(ids[0].split()[0], "(BODY.PEEK[])")
        found = data[0][1]
    imap.logout()
    if found is None:
        time.sleep(0.2)
if found is None:
    sys.exit("the message never reached bob's INBOX")
if body_of(found) != sent.encode():
    sys.exit("IMAP copy differs:\n" + found.decode(errors="replace"))

import socket
sock = socket.create_connection(("127.0.0.1", pop3s), timeout=30)
pop = poplib.POP3.__new__(poplib.POP3)
pop.host, pop.port, pop._tls_established = "127.0.0.1", pop3s, True
pop.sock = context.wrap_socket(sock, server_hostname="smtp.gmail.com")
pop.file = pop.sock.makefile("rb")
pop._debugging = 0
pop.welcome = pop._getresp()
pop.user("bob@gmail.com")
pop.pass_("builder")
copies = [b"\r\n".join(pop.retr(i + 1)[1]) + b"\r\n" for i in range(len(pop.list()[1]))]
pop.quit()
if not any(b"Subject: " + subject.encode() in c and body_of(c) == sent.encode() for c in copies):
    sys.exit("no identical POP3 copy among %d messages" % len(copies))
print("smtplib, imaplib and poplib: OK")
