# METADATA
# title: Shared helpers of the bligate policy pack
# description: |
#   Findings built from a rule's METADATA, Asia/Taipei calendar arithmetic on an explicit
#   as-of instant, the plan's parameters with stricter-only institution overrides, and
#   attestations. See docs/policy-conventions.md.
package bligate.lib

# ---------------------------------------------------------------------------------------------
# Findings

# The institution the document is about.
institution_id := input.institution.id

# The annotations of the nearest entry of a metadata chain that names a requirement.
requirement_annotations(chain) := [e.annotations | some e in chain; e.annotations.custom.requirement][0]

# A finding for the requirement described by the rule's METADATA (pass rego.metadata.chain()).
finding(chain, status, subject, evidence, msg_zh, msg_en) := {
	"requirement": a.custom.requirement,
	"clause": a.custom.clause,
	"severity": a.custom.severity,
	"title": {"zh_TW": a.custom.title_zh, "en": a.title},
	"status": status,
	"subject": object.union({"institution": institution_id}, subject),
	"evidence": evidence,
	"message": {"zh_TW": msg_zh, "en": msg_en},
} if {
	a := requirement_annotations(chain)
}

# The same finding, marked as decided by institution-defined parameters.
institution_defined(f, names) := object.union(f, {"institution_defined": sort(names)})

# ---------------------------------------------------------------------------------------------
# Time (Asia/Taipei, explicit as-of instant)

tz := "Asia/Taipei"

ns_per_day := 86400000000000

ns_per_hour := 3600000000000

as_of_ns := time.parse_rfc3339_ns(input.as_of)

# An RFC 3339 instant in nanoseconds.
ns(ts) := time.parse_rfc3339_ns(ts)

# [year, month, day] of an instant in Taipei.
taipei_date(n) := time.date([n, tz])

# Midnight (Taipei) of a calendar date "YYYY-MM-DD".
date_ns(d) := time.parse_rfc3339_ns(sprintf("%sT00:00:00+08:00", [d]))

# Midnight (Taipei) of year, month, day.
ymd_ns(y, m, d) := time.parse_rfc3339_ns(sprintf("%04d-%02d-%02dT00:00:00+08:00", [y, m, d]))

# "YYYY-MM-DD" of an instant in Taipei.
date_of(n) := sprintf("%04d-%02d-%02d", taipei_date(n))

# "YYYY-MM" of an instant in Taipei.
month_of(n) := sprintf("%04d-%02d", [d[0], d[1]]) if d := taipei_date(n)

year_of(n) := taipei_date(n)[0]

# "YYYY-H1" (January–June) or "YYYY-H2" (July–December) of an instant in Taipei.
half_of(n) := sprintf("%d-H%d", [d[0], half_index(d[1])]) if d := taipei_date(n)

half_index(m) := 1 if m <= 6

half_index(m) := 2 if m > 6

# Month "YYYY-MM" → [year, month].
month_parts(month) := [to_number(substring(month, 0, 4)), to_number(substring(month, 5, 2))]

month_start_ns(month) := ymd_ns(p[0], p[1], 1) if p := month_parts(month)

# The first instant after the month (midnight of the next month's first day).
month_end_ns(month) := ymd_ns(p[0], p[1] + 1, 1) if {
	p := month_parts(month)
	p[1] < 12
}

month_end_ns(month) := ymd_ns(p[0] + 1, 1, 1) if {
	p := month_parts(month)
	p[1] == 12
}

# The month after "YYYY-MM".
next_month(month) := month_of(month_end_ns(month))

year_start_ns(y) := ymd_ns(y, 1, 1)

year_end_ns(y) := ymd_ns(y + 1, 1, 1)

# Half-year "YYYY-H1"/"YYYY-H2" bounds.
half_start_ns(h) := ymd_ns(to_number(substring(h, 0, 4)), 1, 1) if endswith(h, "H1")

half_start_ns(h) := ymd_ns(to_number(substring(h, 0, 4)), 7, 1) if endswith(h, "H2")

half_end_ns(h) := ymd_ns(to_number(substring(h, 0, 4)), 7, 1) if endswith(h, "H1")

half_end_ns(h) := ymd_ns(to_number(substring(h, 0, 4)) + 1, 1, 1) if endswith(h, "H2")

# ISO week "YYYY-Www" (Monday–Sunday, Taipei) of an instant.
week_of(n) := sprintf("%04d-W%02d", [ty, floor((ord - 1) / 7) + 1]) if {
	d := taipei_date(n)
	day0 := ymd_ns(d[0], d[1], d[2])
	thursday := day0 + ((4 - iso_weekday(n)) * ns_per_day)
	ty := taipei_date(thursday)[0]
	ord := ((thursday - year_start_ns(ty)) / ns_per_day) + 1
}

# 1 = Monday … 7 = Sunday, in Taipei.
iso_weekday(n) := weekday_numbers[time.weekday([n, tz])]

weekday_numbers := {
	"Monday": 1, "Tuesday": 2, "Wednesday": 3, "Thursday": 4,
	"Friday": 5, "Saturday": 6, "Sunday": 7,
}

# Monday 00:00 (Taipei) of ISO week "YYYY-Www".
week_start_ns(w) := jan4 - ((iso_weekday(jan4) - 1) * ns_per_day) + ((to_number(substring(w, 6, 2)) - 1) * 7 * ns_per_day) if {
	jan4 := ymd_ns(to_number(substring(w, 0, 4)), 1, 4)
}

week_end_ns(w) := week_start_ns(w) + (7 * ns_per_day)

# True when a period ending at end_ns has ended at the as-of instant.
ended(end_ns) if end_ns <= as_of_ns

# A deadline is coming within the due-soon window (and has not passed).
due_soon(deadline_ns) if {
	deadline_ns > as_of_ns
	deadline_ns - as_of_ns <= param("due_soon.days") * ns_per_day
}

# The retention period after an instant: `retention.years` calendar years later.
retention_end_ns(n) := time.add_date(n, param("retention.years"), 0, 0)

# A record created at created_ns and deleted at deleted_ns was deleted before its retention ended.
deleted_early(created_ns, deleted_ns) if deleted_ns < retention_end_ns(created_ns)

# ---------------------------------------------------------------------------------------------
# Parameters

# Institution overrides: `parameters` of a config document, or `institution.parameters` of a
# state or broker document.
overrides := object.union(object.get(input, ["institution", "parameters"], {}), object.get(input, "parameters", {}))

plan_value(name) := data.bligate.params[name].value

# The effective value: an acceptable override, else the plan's value.
param(name) := overrides[name] if {
	acceptable(name, overrides[name])
} else := plan_value(name)

# An override value that is at least as strict as the plan's.
acceptable(name, _) if data.bligate.params[name].direction == "any"

acceptable(name, v) if {
	data.bligate.params[name].direction == "min"
	is_number(v)
	v >= plan_value(name)
}

acceptable(name, v) if {
	data.bligate.params[name].direction == "max"
	is_number(v)
	v <= plan_value(name)
}

acceptable(name, v) if {
	data.bligate.params[name].direction == "set"
	is_array(v)
	every c in plan_value(name) {
		c in v
	}
}

acceptable(name, v) if {
	data.bligate.params[name].direction == "subset"
	is_array(v)
	every c in v {
		c in plan_value(name)
	}
}

# Overrides weaker than the plan allows (each is a violation of the parameter's requirement).
weaker_overrides contains name if {
	some name, v in overrides
	data.bligate.params[name]
	not acceptable(name, v)
}

# Unknown parameter names in the overrides.
unknown_overrides contains name if {
	some name, _ in overrides
	not data.bligate.params[name]
}

# Weaker overrides of the parameters belonging to a requirement.
weaker_overrides_for(req) := {name | some name in weaker_overrides; data.bligate.params[name].requirement == req}

# The finding for a weaker override, for the requirement rule whose chain is given.
weaker_override_finding(chain, name) := finding(
	chain, "violation",
	{"key": sprintf("parameters.%s", [name]), "parameter": name},
	{"parameter": name, "override": overrides[name], "plan": plan_value(name), "direction": data.bligate.params[name].direction},
	sprintf("參數 %s 設為 %v，寬於計畫規定之 %v，不予採用。", [name, overrides[name], plan_value(name)]),
	sprintf("Parameter %s is set to %v, weaker than the plan's %v; it is not applied.", [name, overrides[name], plan_value(name)]),
)

# True when an institution-defined parameter is in force (for marking findings).
is_institution_defined(name) if data.bligate.params[name].institution_defined == true

# ---------------------------------------------------------------------------------------------
# Attestations

attestations_for(req) := [a | some a in object.get(input, "attestations", []); a.requirement == req]

# An attestation in force at the as-of instant.
valid_attestation(a) if {
	ns(a.attested_at) <= as_of_ns
	ns(a.valid_until) > as_of_ns
}

# Findings for a requirement checked through attestations: none in force → violation; the one in
# force with the latest expiry ends within the due-soon window → due_soon.
attestation_findings(chain, req) := {f |
	not any_valid_attestation(req)
	f := finding(
		chain, "violation",
		{"requirement": req},
		{"attestations": count(attestations_for(req)), "latest_valid_until": latest_valid_until(req)},
		sprintf("%s 缺少有效的聲明（需由負責人聲明並附證據，且在 %s 時仍有效）。", [req, input.as_of]),
		sprintf("%s has no attestation in force at %s (a responsible person's statement with evidence).", [req, input.as_of]),
	)
} | {f |
	any_valid_attestation(req)
	until := max([ns(a.valid_until) | some a in attestations_for(req); valid_attestation(a)])
	due_soon(until)
	f := finding(
		chain, "due_soon",
		{"requirement": req},
		{"valid_until": time.format([until, tz, "2006-01-02T15:04:05Z07:00"])},
		sprintf("%s 的聲明將於 %s 到期，請更新。", [req, time.format([until, tz, "2006-01-02"])]),
		sprintf("The attestation for %s expires on %s; renew it.", [req, time.format([until, tz, "2006-01-02"])]),
	)
}

any_valid_attestation(req) if {
	some a in attestations_for(req)
	valid_attestation(a)
}

latest_valid_until(req) := max([a.valid_until | some a in attestations_for(req)]) if count(attestations_for(req)) > 0

latest_valid_until(req) := null if count(attestations_for(req)) == 0

# ---------------------------------------------------------------------------------------------
# Periods of activity

# Midnight of the first day of the month k months after "YYYY-MM" (k = 1: the next month).
month_plus_ns(month, k) := ymd_ns(floor(t / 12), (t % 12) + 1, 1) if {
	p := month_parts(month)
	t := ((p[0] * 12) + p[1] - 1) + k
}

# Months "YYYY-MM" with query activity, from the state document.
query_months := {m.month | some m in object.get(input, "query_months", [])}

# The earliest Taipei year the state document shows activity in (queries, accounts, staff).
activity_start_year := min(activity_years) if count(activity_years) > 0

activity_years contains to_number(substring(m, 0, 4)) if some m in query_months

activity_years contains year_of(ns(a.created_at)) if {
	some a in object.get(input, "accounts", [])
	is_string(a.created_at)
}

# Completed calendar years (Taipei) since activity started, up to the as-of instant.
completed_years contains y if {
	some y in numbers.range(activity_start_year, year_of(as_of_ns))
	ended(year_end_ns(y))
}

# Ceil of a product that is meant to be exact (guards against binary fractions: 0.02 × 500).
ceil_exact(x) := r if {
	r := round(x)
	abs(x - r) < 0.000000001
} else := ceil(x)
