#pragma once
// The soak generator: a seed and a few sizes become a whole multi-domain lesson full of mail and
// faults, written as scenario JSON so that it goes through the same loader and checks as a
// teacher's file.
//
// The world: one LAN per domain behind its own router, every router joined to a "core" router by
// a WAN link (so mail between two domains crosses two WAN links); DNS as a hierarchy (root, TLD,
// one name server per domain, a resolver per LAN) with short TTLs, so that an outage is felt; one
// mail server per domain (SMTP on 25, submission on 587) with a short retry schedule; users on
// the domain's LAN who submit with STARTTLS and AUTH.
//
// The traffic: messages from random users to one to three random recipients (in the same domain
// or others), each with a subject that names it ("soak 7 #123") and a body whose lines, some
// starting with a dot, end with a closing line that names it too, so a cut-off copy is easy to
// see.
//
// The faults, all at seeded random times (to the microsecond, so they land in every phase of a
// session) and all over before the fault phase ends: loss on WAN links (up to 30 %), partitions
// (link-down, later link-up), mail server crashes and restarts, DNS outages of a domain's name
// server (SERVFAIL, REFUSED or silence) and greylisting on some servers. After the fault phase the
// world has time to drain: longer than every server's give-up time plus its longest retry wait.
//
// Everything is derived from the seed: the same seed and sizes give the same text.

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace mailscope::soak {

struct SoakSizes {
  std::uint32_t domains = 6;           // 2..50
  std::uint32_t users_per_domain = 5;  // 1..50
  std::uint32_t messages = 1000;       // 1..15000
  double fault_intensity = 1.0;        // 0 (no faults at all) .. 1; scales counts and loss
  double message_interval_s = 0.25;    // mean gap between two sends
};

// One message the generator sends: what the checker compares the mailboxes with.
struct SoakMessage {
  std::uint32_t index = 0;
  std::string token;  // "soak 7 #123": the subject, unique in the run
  std::string from;
  std::vector<std::string> recipients;  // distinct addresses
  std::string body;                     // as in the scenario: LF line ends, ends with LF
};

// What the generator put into the timeline, for the report.
struct SoakFaultPlan {
  std::uint32_t lossy_links = 0;
  double loss_max = 0;  // the highest loss probability of any WAN link
  std::uint32_t partitions = 0;
  std::uint32_t crashes = 0;
  std::uint32_t dns_outages = 0;
  std::uint32_t greylisting = 0;  // servers that greylist for a while
};

struct GeneratedSoak {
  std::uint64_t seed = 0;
  SoakSizes sizes;
  std::string json;  // the scenario
  std::vector<SoakMessage> messages;
  SoakFaultPlan faults;
  TimeNs faults_end_ns = 0;   // every fault is over by then
  TimeNs duration_ns = 0;     // the scenario's duration: fault phase plus drain time
  TimeNs give_up_max_ns = 0;  // the longest give-up time of any server
};

// Sizes are clamped to the ranges above.
GeneratedSoak generate_soak(std::uint64_t seed, SoakSizes sizes);

// The subject of message `index` of a run with `seed`.
std::string soak_token(std::uint64_t seed, std::uint32_t index);

}  // namespace mailscope::soak
