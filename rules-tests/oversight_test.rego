package bligate.areas.oversight_test

import data.bligate.areas.oversight
import data.bligate.lib

# A state document as of 2026-11-27 (Taipei) with the given months and samples.
state(months, samples) := {
	"as_of": "2026-11-27T10:00:00+08:00",
	"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"},
	"query_months": months,
	"monthly_samples": samples,
}

sample(month, n, at) := {"id": sprintf("s-%s", [month]), "month": month, "reviewer": "rev1", "sampled": n, "completed_at": at, "reviewed_staff": ["q1"]}

sample_findings(st) := {f | some f in oversight.state_findings with input as st; f.requirement == "SAMPLE-01"}

# required = N below 10, else max(10, ceil(2 % of N))
test_sample_required_boundaries if {
	oversight.sample_required(9) == 9
	oversight.sample_required(10) == 10
	oversight.sample_required(11) == 10
	oversight.sample_required(499) == 10
	oversight.sample_required(500) == 10
	oversight.sample_required(501) == 11
	oversight.sample_required(612) == 13
}

test_sample_01_612_records_11_sampled_is_violation if {
	fs := sample_findings(state([{"month": "2026-09", "records": 612}], [sample("2026-09", 11, "2026-10-20T10:00:00+08:00")]))
	some f in fs
	f.status == "violation"
	f.evidence == {"month": "2026-09", "records": 612, "sampled": 11, "required": 13, "due": "2026-10-31", "rate": 0.02, "minimum": 10}
	f.institution_defined == ["sampling.due_months"]
	f.clause == "九(三)2(1)"
}

test_sample_01_612_records_13_sampled_is_compliant if {
	count(sample_findings(state([{"month": "2026-09", "records": 612}], [sample("2026-09", 13, "2026-10-20T10:00:00+08:00")]))) == 0
}

test_sample_01_9_records_all_needed if {
	count(sample_findings(state([{"month": "2026-09", "records": 9}], [sample("2026-09", 9, "2026-10-01T09:00:00+08:00")]))) == 0
	count(sample_findings(state([{"month": "2026-09", "records": 9}], [sample("2026-09", 8, "2026-10-01T09:00:00+08:00")]))) == 1
}

test_sample_01_late_sample_does_not_count if {
	# completed on 1 November 00:00 Taipei: after the due date (end of October)
	fs := sample_findings(state([{"month": "2026-09", "records": 100}], [sample("2026-09", 10, "2026-11-01T00:00:00+08:00")]))
	some f in fs
	f.evidence.sampled == 0
}

test_sample_01_current_month_is_never_a_violation if {
	count(sample_findings(state([{"month": "2026-11", "records": 100}], []))) == 0
}

test_sample_01_due_soon_for_last_month if {
	fs := sample_findings(state([{"month": "2026-10", "records": 100}], []))
	some f in fs
	f.status == "due_soon"
	f.evidence.due == "2026-11-30"
}

test_sample_01_reviewer_reviewing_own_records if {
	s := object.union(sample("2026-09", 13, "2026-10-20T10:00:00+08:00"), {"reviewer": "q1"})
	fs := sample_findings(state([{"month": "2026-09", "records": 612}], [s]))
	some f in fs
	f.subject.staff == "q1"
}

test_sample_01_deleted_before_five_years if {
	s := object.union(sample("2026-09", 13, "2026-10-20T10:00:00+08:00"), {"deleted_at": "2026-11-01T00:00:00+08:00"})
	fs := sample_findings(state([{"month": "2026-09", "records": 612}], [s]))
	some f in fs
	f.evidence.deleted_at == "2026-11-01T00:00:00+08:00"
}

test_sample_01_weaker_rate_override_is_violation_and_ignored if {
	st := object.union(state([{"month": "2026-09", "records": 612}], [sample("2026-09", 13, "2026-10-20T10:00:00+08:00")]), {"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit", "parameters": {"sampling.rate": 0.01}}})
	fs := sample_findings(st)
	count(fs) == 1
	some f in fs
	f.subject.parameter == "sampling.rate"
}

test_sample_01_stricter_rate_override_applies if {
	st := object.union(state([{"month": "2026-09", "records": 612}], [sample("2026-09", 13, "2026-10-20T10:00:00+08:00")]), {"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit", "parameters": {"sampling.rate": 0.05}}})
	some f in sample_findings(st)
	f.evidence.required == 31
}

test_sample_01_missing_sample_only_for_user_units if {
	st := object.union(state([{"month": "2026-09", "records": 612}], []), {"institution": {"role": "management_agency"}})
	count(sample_findings(st)) == 0
	count(sample_findings(state([{"month": "2026-09", "records": 612}], []))) == 1
}

# ---------------------------------------------------------------------------------------------
# Shared documents for the other requirements

as_of := "2026-11-27T10:00:00+08:00"

bank := {"id": "bank-001", "name": "Demo Bank", "role": "user_unit", "active_since": "2025-03-01"}

batch_bank := object.union(bank, {"batch_server": true})

jcic := {"id": "jcic", "name": "JCIC", "role": "management_agency", "active_since": "2019-01-01"}

fsc := {"id": "fsc", "name": "FSC", "role": "supervisor", "active_since": "2023-01-01"}

doc(inst, extra) := object.union({"as_of": as_of, "institution": inst}, extra)

# The same document at another as-of instant.
at(st, t) := object.union(st, {"as_of": t})

params(inst, p) := object.union(inst, {"parameters": p})

findings(req, st) := {f | some f in oversight.state_findings with input as st; f.requirement == req}

cfindings(req, c) := {f | some f in oversight.config_findings with input as c; f.requirement == req}

# [status, subject without institution] of each finding.
subjects(fs) := {[f.status, object.remove(f.subject, ["institution"])] | some f in fs}

audit(id, kind, t) := {"id": id, "kind": kind, "performed_at": t}

unit_audit(id, kind, t, unit) := {"id": id, "kind": kind, "performed_at": t, "subject": unit}

attestation(req, until) := {"requirement": req, "attested_by": "head", "attested_at": "2026-01-05T09:00:00+08:00", "evidence_ref": "doc-1", "valid_until": until}

# ---------------------------------------------------------------------------------------------
# WEEKLY-01 (as of Friday 2026-11-27: W48 is current, W47 ended on 22 Nov, W46 on 15 Nov)

sheet(id, week, signed_at, approved_at) := {
	"id": id, "week": week, "produced_at": "2026-11-16T09:00:00+08:00",
	"signed_by": "q1", "signed_at": signed_at, "approved_by": "mgr", "approved_at": approved_at,
}

weekly(weeks, sheets) := doc(bank, {"query_weeks": weeks, "weekly_sheets": sheets})

w46 := [{"week": "2026-W46", "records": 12}]

test_weekly_01_week_helpers_are_iso_weeks_in_taipei if {
	lib.week_of(lib.ns("2026-11-22T23:59:59+08:00")) == "2026-W47"
	lib.week_of(lib.ns("2026-11-22T16:00:00Z")) == "2026-W48"
	lib.week_of(lib.ns("2025-12-29T00:00:00+08:00")) == "2026-W01"
	lib.week_of(lib.ns("2021-01-03T12:00:00+08:00")) == "2020-W53"
	lib.week_of(lib.ns("2027-01-03T23:59:59+08:00")) == "2026-W53"
	lib.date_of(lib.week_start_ns("2026-W01")) == "2025-12-29"
	lib.date_of(lib.week_start_ns("2026-W53")) == "2026-12-28"
	lib.date_of(lib.week_end_ns("2026-W53")) == "2027-01-04"
	lib.date_of(lib.week_start_ns("2025-W01")) == "2024-12-30"
	lib.iso_weekday(lib.week_start_ns("2026-W46")) == 1
}

test_weekly_01_signed_and_approved_sheet_is_compliant if {
	count(findings("WEEKLY-01", weekly(w46, [sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-17T10:00:00+08:00")]))) == 0
}

test_weekly_01_missing_sheet_is_violation if {
	fs := findings("WEEKLY-01", weekly(w46, []))
	subjects(fs) == {["violation", {"week": "2026-W46"}]}
	some f in fs
	f.evidence.due == "2026-11-22"
	f.evidence.week_from == "2026-11-09"
	f.evidence.week_to == "2026-11-15"
	f.evidence.due_days == 7
	f.institution_defined == ["weekly_sheet.due_days"]
}

test_weekly_01_approved_at_last_second_of_due_day_is_compliant if {
	count(findings("WEEKLY-01", weekly(w46, [sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-22T23:59:59+08:00")]))) == 0
}

test_weekly_01_approved_at_midnight_after_due_day_is_violation if {
	fs := findings("WEEKLY-01", weekly(w46, [sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-23T00:00:00+08:00")]))
	subjects(fs) == {["violation", {"week": "2026-W46"}]}
}

test_weekly_01_utc_instant_is_judged_in_taipei if {
	# 2026-11-22T15:59:59Z is 23:59:59 Taipei on the due day; 16:00:00Z is the next day
	count(findings("WEEKLY-01", weekly(w46, [sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-22T15:59:59Z")]))) == 0
	count(findings("WEEKLY-01", weekly(w46, [sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-22T16:00:00Z")]))) == 1
}

test_weekly_01_unsigned_or_self_approved_sheet_is_violation if {
	unsigned := object.union(sheet("ws1", "2026-W46", null, "2026-11-17T10:00:00+08:00"), {"signed_by": null})
	count(findings("WEEKLY-01", weekly(w46, [unsigned]))) == 1
	unapproved := object.union(sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", null), {"approved_by": ""})
	count(findings("WEEKLY-01", weekly(w46, [unapproved]))) == 1
	own := object.union(sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-17T10:00:00+08:00"), {"approved_by": "q1"})
	some f in findings("WEEKLY-01", weekly(w46, [own]))
	f.evidence.sheets[0].approved_by == "q1"
}

test_weekly_01_sheet_of_another_week_does_not_count if {
	count(findings("WEEKLY-01", weekly(w46, [sheet("ws1", "2026-W45", "2026-11-16T10:00:00+08:00", "2026-11-17T10:00:00+08:00")]))) == 1
}

test_weekly_01_due_soon_between_week_end_and_due_date if {
	fs := findings("WEEKLY-01", weekly([{"week": "2026-W47", "records": 3}], []))
	subjects(fs) == {["due_soon", {"week": "2026-W47"}]}
	some f in fs
	f.evidence.due == "2026-11-29"
}

test_weekly_01_current_week_and_empty_weeks_are_not_flagged if {
	count(findings("WEEKLY-01", weekly([{"week": "2026-W48", "records": 3}, {"week": "2026-W45", "records": 0}], []))) == 0
}

test_weekly_01_only_user_units_are_checked_for_missing_sheets if {
	count(findings("WEEKLY-01", doc(jcic, {"query_weeks": w46}))) == 0
}

test_weekly_01_institution_due_days_apply if {
	st := doc(params(bank, {"weekly_sheet.due_days": 3}), {"query_weeks": w46, "weekly_sheets": [sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-19T00:00:00+08:00")]})
	fs := findings("WEEKLY-01", st)
	some f in fs
	f.evidence.due == "2026-11-18"
	f.evidence.due_days == 3
	ok := doc(params(bank, {"weekly_sheet.due_days": 3}), {"query_weeks": w46, "weekly_sheets": [sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-18T23:59:59+08:00")]})
	count(findings("WEEKLY-01", ok)) == 0
}

test_weekly_01_unusable_due_days_is_reported_and_default_used if {
	st := doc(params(bank, {"weekly_sheet.due_days": "seven"}), {"query_weeks": w46, "weekly_sheets": []})
	fs := findings("WEEKLY-01", st)
	subjects(fs) == {
		["violation", {"week": "2026-W46"}],
		["violation", {"key": "parameters.weekly_sheet.due_days", "parameter": "weekly_sheet.due_days"}],
	}
	some f in fs
	f.subject.week == "2026-W46"
	f.evidence.due_days == 7
}

test_weekly_01_year_crossing_week if {
	# 2026-W53 runs Monday 28 Dec 2026 to Sunday 3 Jan 2027; due (7 days) on 10 Jan 2027
	st := at(weekly([{"week": "2026-W53", "records": 4}], []), "2027-01-11T00:00:00+08:00")
	some f in findings("WEEKLY-01", st)
	f.status == "violation"
	f.evidence.week_from == "2026-12-28"
	f.evidence.week_to == "2027-01-03"
	f.evidence.due == "2027-01-10"
	due_soon := at(weekly([{"week": "2026-W53", "records": 4}], []), "2027-01-10T23:59:59+08:00")
	subjects(findings("WEEKLY-01", due_soon)) == {["due_soon", {"week": "2026-W53"}]}
}

test_weekly_01_sheet_deleted_before_five_years_is_violation if {
	s := object.union(sheet("ws1", "2026-W46", "2026-11-16T10:00:00+08:00", "2026-11-17T10:00:00+08:00"), {"deleted_at": "2026-11-20T10:00:00+08:00"})
	fs := findings("WEEKLY-01", weekly(w46, [s]))
	subjects(fs) == {["violation", {"week": "2026-W46", "sheet": "ws1"}]}
}

test_weekly_01_sheet_deleted_after_five_years_is_compliant if {
	s := {"id": "ws0", "week": "2020-W46", "deleted_at": "2025-11-16T00:00:00+08:00"}
	count(findings("WEEKLY-01", weekly([], [s]))) == 0
	early := {"id": "ws0", "week": "2020-W46", "deleted_at": "2025-11-15T23:59:59+08:00"}
	some f in findings("WEEKLY-01", weekly([], [early]))
	f.evidence.created_at == "2020-11-16T00:00:00+08:00"
}

test_weekly_01_config_retention if {
	c := {"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"}, "retention": {"weekly_sheets": 3}}
	subjects(cfindings("WEEKLY-01", c)) == {["violation", {"key": "retention.weekly_sheets"}]}
	count(cfindings("WEEKLY-01", object.union(c, {"retention": {"weekly_sheets": 5}}))) == 0
	count(cfindings("WEEKLY-01", object.union(c, {"parameters": {"weekly_sheet.due_days": -1}}))) == 2
}

# ---------------------------------------------------------------------------------------------
# Activity start and periods

test_selfcheck_01_first_period_is_the_year_activity_starts if {
	# active since 2025-03-01: 2025 is the first year; nothing before it is flagged
	subjects(findings("SELFCHECK-01", doc(bank, {}))) == {["violation", {"year": 2025}]}
	# a unit that started in 2026 has no completed year yet
	count(findings("SELFCHECK-01", doc(object.union(bank, {"active_since": "2026-02-01"}), {}))) == 0
}

test_selfcheck_01_start_from_activity_evidence if {
	inst := {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"}
	count(findings("SELFCHECK-01", doc(inst, {}))) == 0
	st := doc(inst, {"accounts": [{"id": "a1", "kind": "query", "enabled": true, "created_at": "2024-12-15T09:00:00+08:00"}]})
	subjects(findings("SELFCHECK-01", st)) == {["violation", {"year": 2024}], ["violation", {"year": 2025}]}
	oversight.activity_start_ns == lib.ns("2024-12-15T09:00:00+08:00") with input as st
	st2 := doc(inst, {"query_months": [{"month": "2025-04", "records": 0}], "query_weeks": [{"week": "2025-W20", "records": 0}]})
	oversight.activity_start_ns == lib.ns("2025-04-01T00:00:00+08:00") with input as st2
	lib.year_of(oversight.activity_start_ns) == lib.activity_start_year with input as st2
}

test_selfcheck_01_active_since_wins_over_evidence if {
	st := doc(bank, {"accounts": [{"id": "a1", "kind": "query", "enabled": true, "created_at": "2020-01-15T09:00:00+08:00"}]})
	subjects(findings("SELFCHECK-01", st)) == {["violation", {"year": 2025}]}
}

test_selfcheck_01_period_helpers if {
	hs := {p.id | some p in oversight.half_periods(lib.ns("2025-03-01T00:00:00+08:00"))} with input as doc(bank, {})
	hs == {"2025-H1", "2025-H2", "2026-H1", "2026-H2"}
	hs2 := {p.id | some p in oversight.half_periods(lib.ns("2025-07-01T00:00:00+08:00"))} with input as doc(bank, {})
	hs2 == {"2025-H2", "2026-H1", "2026-H2"}
	bs := {p.id | some p in oversight.block_periods(lib.ns("2019-03-01T00:00:00+08:00"), 5)} with input as doc(bank, {})
	bs == {"2019-2023", "2024-2028"}
	count(oversight.year_periods(lib.ns("2027-01-01T00:00:00+08:00"))) == 0 with input as doc(bank, {})
}

# ---------------------------------------------------------------------------------------------
# SELFCHECK-01

selfcheck(t) := object.union(audit("sc1", "self_inspection", t), {"report_sent_to_jcic_at": "2026-01-10T09:00:00+08:00"})

test_selfcheck_01_inspection_with_report_is_compliant if {
	count(findings("SELFCHECK-01", doc(bank, {"audits": [selfcheck("2025-06-10T09:00:00+08:00")]}))) == 0
}

test_selfcheck_01_inspection_at_2359_on_31_december_counts if {
	count(findings("SELFCHECK-01", doc(bank, {"audits": [selfcheck("2025-12-31T23:59:59+08:00")]}))) == 0
}

test_selfcheck_01_inspection_at_0000_on_1_january_is_next_year if {
	fs := findings("SELFCHECK-01", doc(bank, {"audits": [selfcheck("2026-01-01T00:00:00+08:00")]}))
	subjects(fs) == {["violation", {"year": 2025}]}
	some f in fs
	f.evidence == {"period": "2025", "from": "2025-01-01", "to": "2025-12-31", "audit_kind": "self_inspection", "audits": 0, "active_since": "2025-03-01"}
}

test_selfcheck_01_report_not_sent_to_jcic if {
	a := audit("sc1", "self_inspection", "2025-06-10T09:00:00+08:00")
	subjects(findings("SELFCHECK-01", doc(bank, {"audits": [a]}))) == {["violation", {"year": 2025, "audit": "sc1"}]}
	# this year's report may still be sent
	b := audit("sc2", "self_inspection", "2026-06-10T09:00:00+08:00")
	count(findings("SELFCHECK-01", doc(bank, {"audits": [selfcheck("2025-06-10T09:00:00+08:00"), b]}))) == 0
}

test_selfcheck_01_due_soon_near_year_end if {
	st := at(doc(bank, {"audits": [selfcheck("2025-06-10T09:00:00+08:00")]}), "2026-12-15T09:00:00+08:00")
	subjects(findings("SELFCHECK-01", st)) == {["due_soon", {"year": 2026}]}
}

test_selfcheck_01_applies_to_user_units_only if {
	count(findings("SELFCHECK-01", doc(jcic, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# INTAUDIT-01

halves_done := [
	audit("ia1", "internal", "2025-05-01T09:00:00+08:00"),
	audit("ia2", "internal", "2025-11-01T09:00:00+08:00"),
	audit("ia3", "internal", "2026-06-30T23:59:59+08:00"),
]

test_intaudit_01_every_half_year_is_compliant if {
	count(findings("INTAUDIT-01", doc(bank, {"audits": halves_done}))) == 0
}

test_intaudit_01_missing_half_year_is_violation if {
	fs := findings("INTAUDIT-01", doc(bank, {"audits": [halves_done[0], halves_done[2]]}))
	subjects(fs) == {["violation", {"half": "2025-H2"}]}
}

test_intaudit_01_audit_at_midnight_1_july_is_second_half if {
	# 2026-06-30T16:00:00Z is 1 July 00:00 in Taipei
	fs := findings("INTAUDIT-01", doc(bank, {"audits": [halves_done[0], halves_done[1], audit("ia3", "internal", "2026-06-30T16:00:00Z")]}))
	subjects(fs) == {["violation", {"half": "2026-H1"}]}
}

test_intaudit_01_first_half_is_the_one_activity_starts_in if {
	# started 1 July 2025: 2025-H1 is not required
	st := doc(object.union(bank, {"active_since": "2025-07-01"}), {"audits": [halves_done[1], halves_done[2]]})
	count(findings("INTAUDIT-01", st)) == 0
	# a unit that started in August 2026 has no ended half-year
	count(findings("INTAUDIT-01", doc(object.union(bank, {"active_since": "2026-08-01"}), {}))) == 0
}

test_intaudit_01_due_soon_near_half_end if {
	st := at(doc(bank, {"audits": halves_done}), "2026-12-10T09:00:00+08:00")
	subjects(findings("INTAUDIT-01", st)) == {["due_soon", {"half": "2026-H2"}]}
	# not yet within the due-soon window on 27 November (end is 35 days away)
	count(findings("INTAUDIT-01", doc(bank, {"audits": halves_done}))) == 0
}

test_intaudit_01_future_audit_does_not_count if {
	st := at(doc(bank, {"audits": halves_done}), "2026-06-20T09:00:00+08:00")
	subjects(findings("INTAUDIT-01", st)) == {["due_soon", {"half": "2026-H1"}]}
}

test_intaudit_01_deleted_before_five_years if {
	a := object.union(halves_done[0], {"deleted_at": "2030-04-30T23:59:59+08:00"})
	fs := findings("INTAUDIT-01", doc(bank, {"audits": [a, halves_done[1], halves_done[2]]}))
	subjects(fs) == {["violation", {"half": "2025-H1", "audit": "ia1"}]}
	b := object.union(halves_done[0], {"deleted_at": "2030-05-01T09:00:00+08:00"})
	count(findings("INTAUDIT-01", doc(bank, {"audits": [b, halves_done[1], halves_done[2]]}))) == 0
}

test_intaudit_01_only_user_units if {
	count(findings("INTAUDIT-01", doc(fsc, {}))) == 0
}

test_intaudit_01_config_retention if {
	c := {"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"}, "retention": {"audits": 4}}
	subjects(cfindings("INTAUDIT-01", c)) == {["violation", {"key": "retention.audits"}]}
	count(cfindings("INTAUDIT-01", object.union(c, {"retention": {"audits": 5}}))) == 0
	count(cfindings("JCICAUDIT-02", c)) == 0
}

# ---------------------------------------------------------------------------------------------
# JCICAUDIT-01 and USAGE-01 (JCIC, user units overseen)

unit_a := {"id": "bank-a", "name": "A Bank", "joined_on": "2024-05-01", "linkage_active": true}

consent_checks := [
	unit_audit("cc1", "jcic_consent_check", "2024-10-01T09:00:00+08:00", "bank-a"),
	unit_audit("cc2", "jcic_consent_check", "2025-10-01T09:00:00+08:00", "bank-a"),
]

test_jcicaudit_01_yearly_checks_are_compliant if {
	count(findings("JCICAUDIT-01", doc(jcic, {"user_units": [unit_a], "audits": consent_checks}))) == 0
}

test_jcicaudit_01_missing_year_is_violation if {
	fs := findings("JCICAUDIT-01", doc(jcic, {"user_units": [unit_a], "audits": [consent_checks[0]]}))
	subjects(fs) == {["violation", {"user_unit": "bank-a", "year": 2025}]}
	some f in fs
	f.evidence.joined_on == "2024-05-01"
}

test_jcicaudit_01_check_of_another_unit_does_not_count if {
	other := unit_audit("cc9", "jcic_consent_check", "2025-10-01T09:00:00+08:00", "bank-b")
	subjects(findings("JCICAUDIT-01", doc(jcic, {"user_units": [unit_a], "audits": [consent_checks[0], other]}))) == {["violation", {"user_unit": "bank-a", "year": 2025}]}
}

test_jcicaudit_01_new_unit_not_flagged_before_it_joined if {
	u := object.union(unit_a, {"joined_on": "2026-03-01"})
	count(findings("JCICAUDIT-01", doc(jcic, {"user_units": [u]}))) == 0
}

test_jcicaudit_01_unit_without_joined_on_starts_with_jcic if {
	u := {"id": "bank-c", "name": "C Bank"}
	st := doc(object.union(jcic, {"active_since": "2024-06-01"}), {"user_units": [u]})
	subjects(findings("JCICAUDIT-01", st)) == {["violation", {"user_unit": "bank-c", "year": 2024}], ["violation", {"user_unit": "bank-c", "year": 2025}]}
}

test_jcicaudit_01_unit_that_left_is_checked_while_linked if {
	u := object.union(unit_a, {"linkage_active": false, "left_on": "2025-06-30"})
	subjects(findings("JCICAUDIT-01", doc(jcic, {"user_units": [u]}))) == {["violation", {"user_unit": "bank-a", "year": 2024}]}
	# linkage ended at the very end of 2025: 2025 is still required
	v := object.union(unit_a, {"left_on": "2026-01-01"})
	count(findings("JCICAUDIT-01", doc(jcic, {"user_units": [v]}))) == 2
	# inactive with no end date: not checked
	w := object.union(unit_a, {"linkage_active": false})
	count(findings("JCICAUDIT-01", doc(jcic, {"user_units": [w]}))) == 0
}

test_jcicaudit_01_due_soon_in_december if {
	st := at(doc(jcic, {"user_units": [unit_a], "audits": consent_checks}), "2026-12-20T09:00:00+08:00")
	subjects(findings("JCICAUDIT-01", st)) == {["due_soon", {"user_unit": "bank-a", "year": 2026}]}
}

test_jcicaudit_01_only_for_jcic if {
	count(findings("JCICAUDIT-01", doc(bank, {"user_units": [unit_a]}))) == 0
}

test_usage_01_yearly_review_per_unit_or_overall if {
	reviews := [
		unit_audit("ur1", "usage_review", "2024-12-01T09:00:00+08:00", "bank-a"),
		audit("ur2", "usage_review", "2025-12-01T09:00:00+08:00"),
	]
	count(findings("USAGE-01", doc(jcic, {"user_units": [unit_a], "audits": reviews}))) == 0
}

test_usage_01_missing_review_is_violation if {
	fs := findings("USAGE-01", doc(jcic, {"user_units": [unit_a], "audits": [unit_audit("ur1", "usage_review", "2024-12-01T09:00:00+08:00", "bank-a")]}))
	subjects(fs) == {["violation", {"user_unit": "bank-a", "year": 2025}]}
	some f in fs
	f.evidence.audit_kind == "usage_review"
}

test_usage_01_review_of_another_unit_or_kind_does_not_count if {
	reviews := [
		unit_audit("ur1", "usage_review", "2024-12-01T09:00:00+08:00", "bank-z"),
		audit("ur2", "jcic_security", "2025-12-01T09:00:00+08:00"),
	]
	count(findings("USAGE-01", doc(jcic, {"user_units": [unit_a], "audits": reviews}))) == 2
	count(findings("USAGE-01", doc(fsc, {"user_units": [unit_a]}))) == 0
}

# ---------------------------------------------------------------------------------------------
# JCICAUDIT-02

security_audits := [audit(sprintf("sa%d", [y]), "jcic_security", sprintf("%d-09-01T09:00:00+08:00", [y])) | some y in numbers.range(2019, 2025)]

test_jcicaudit_02_yearly_audit_is_compliant if {
	count(findings("JCICAUDIT-02", doc(jcic, {"audits": security_audits}))) == 0
}

test_jcicaudit_02_missing_year_is_violation if {
	audits := [a | some a in security_audits; a.id != "sa2023"]
	subjects(findings("JCICAUDIT-02", doc(jcic, {"audits": audits}))) == {["violation", {"year": 2023}]}
}

test_jcicaudit_02_due_soon_in_december if {
	st := at(doc(jcic, {"audits": security_audits}), "2026-12-02T00:00:00+08:00")
	subjects(findings("JCICAUDIT-02", st)) == {["due_soon", {"year": 2026}]}
	# 2 December 00:00 is exactly 30 days before the end of the year; 1 December is not yet
	count(findings("JCICAUDIT-02", at(doc(jcic, {"audits": security_audits}), "2026-12-01T23:59:59+08:00"))) == 0
}

test_jcicaudit_02_deleted_before_five_years if {
	a := object.union(security_audits[0], {"deleted_at": "2024-09-01T08:59:59+08:00"})
	audits := array.concat([a], array.slice(security_audits, 1, 7))
	fs := findings("JCICAUDIT-02", doc(jcic, {"audits": audits}))
	subjects(fs) == {["violation", {"year": 2019, "audit": "sa2019"}]}
	some f in fs
	f.evidence.retention_years == 5
	# deleted exactly five years after the audit: compliant
	b := object.union(security_audits[0], {"deleted_at": "2024-09-01T09:00:00+08:00"})
	count(findings("JCICAUDIT-02", doc(jcic, {"audits": array.concat([b], array.slice(security_audits, 1, 7))}))) == 0
}

test_jcicaudit_02_only_for_jcic_and_config_retention if {
	count(findings("JCICAUDIT-02", doc(bank, {}))) == 0
	c := {"institution": {"id": "jcic", "name": "JCIC", "role": "management_agency"}, "retention": {"audits": 3}}
	subjects(cfindings("JCICAUDIT-02", c)) == {["violation", {"key": "retention.audits"}]}
	count(cfindings("INTAUDIT-01", c)) == 0
}

# ---------------------------------------------------------------------------------------------
# FSCAUDIT-01 (FSC active since 2023: half-years from 2023-H1, on-site blocks 2023–2024, 2025–2026)

written_audits := [audit(sprintf("fw%s", [p[0]]), "fsc_written", p[1]) |
	some p in [
		["23a", "2023-03-01T09:00:00+08:00"], ["23b", "2023-09-01T09:00:00+08:00"],
		["24a", "2024-03-01T09:00:00+08:00"], ["24b", "2024-09-01T09:00:00+08:00"],
		["25a", "2025-03-01T09:00:00+08:00"], ["25b", "2025-09-01T09:00:00+08:00"],
		["26a", "2026-03-01T09:00:00+08:00"],
	]
]

onsite_audits := [audit("fo1", "fsc_onsite", "2024-12-31T23:59:59+08:00"), audit("fo2", "fsc_onsite", "2026-05-01T09:00:00+08:00")]

test_fscaudit_01_written_and_onsite_audits_are_compliant if {
	count(findings("FSCAUDIT-01", doc(fsc, {"audits": array.concat(written_audits, onsite_audits)}))) == 0
}

test_fscaudit_01_missing_written_half_year if {
	audits := [a | some a in array.concat(written_audits, onsite_audits); a.id != "fw25b"]
	subjects(findings("FSCAUDIT-01", doc(fsc, {"audits": audits}))) == {["violation", {"check": "written", "half": "2025-H2"}]}
}

test_fscaudit_01_missing_onsite_in_a_two_year_block if {
	late := audit("fo1", "fsc_onsite", "2025-01-01T00:00:00+08:00")
	fs := findings("FSCAUDIT-01", doc(fsc, {"audits": array.concat(written_audits, [late])}))
	subjects(fs) == {["violation", {"check": "onsite", "period": "2023-2024"}]}
	some f in fs
	f.evidence.from == "2023-01-01"
	f.evidence.to == "2024-12-31"
}

test_fscaudit_01_onsite_due_soon_at_end_of_block if {
	audits := array.concat(written_audits, [onsite_audits[0]])
	count(findings("FSCAUDIT-01", doc(fsc, {"audits": audits}))) == 0
	st := at(doc(fsc, {"audits": audits}), "2026-12-15T09:00:00+08:00")
	subjects(findings("FSCAUDIT-01", st)) == {["due_soon", {"check": "onsite", "period": "2025-2026"}], ["due_soon", {"check": "written", "half": "2026-H2"}]}
}

test_fscaudit_01_only_for_the_supervisor if {
	count(findings("FSCAUDIT-01", doc(jcic, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# FSCAUDIT-02 (user units examined in every 5-calendar-year block from the year they joined)

unit_b := {"id": "bank-b", "name": "B Bank", "joined_on": "2019-03-01"}

exam(id, t, unit) := unit_audit(id, "fsc_user_unit_exam", t, unit)

test_fscaudit_02_examined_in_block_is_compliant if {
	count(findings("FSCAUDIT-02", doc(fsc, {"user_units": [unit_b], "audits": [exam("ex1", "2021-05-01T09:00:00+08:00", "bank-b")]}))) == 0
}

test_fscaudit_02_not_examined_in_block_is_violation if {
	fs := findings("FSCAUDIT-02", doc(fsc, {"user_units": [unit_b]}))
	subjects(fs) == {["violation", {"user_unit": "bank-b", "period": "2019-2023"}]}
	some f in fs
	f.evidence.to == "2023-12-31"
}

test_fscaudit_02_block_boundaries if {
	count(findings("FSCAUDIT-02", doc(fsc, {"user_units": [unit_b], "audits": [exam("ex1", "2023-12-31T23:59:59+08:00", "bank-b")]}))) == 0
	count(findings("FSCAUDIT-02", doc(fsc, {"user_units": [unit_b], "audits": [exam("ex1", "2024-01-01T00:00:00+08:00", "bank-b")]}))) == 1
	count(findings("FSCAUDIT-02", doc(fsc, {"user_units": [unit_b], "audits": [exam("ex1", "2021-05-01T09:00:00+08:00", "bank-x")]}))) == 1
}

test_fscaudit_02_current_block_is_due_soon_then_violation if {
	u := {"id": "bank-n", "name": "N Bank", "joined_on": "2022-06-01"}
	count(findings("FSCAUDIT-02", doc(fsc, {"user_units": [u]}))) == 0
	subjects(findings("FSCAUDIT-02", at(doc(fsc, {"user_units": [u]}), "2026-12-15T09:00:00+08:00"))) == {["due_soon", {"user_unit": "bank-n", "period": "2022-2026"}]}
	subjects(findings("FSCAUDIT-02", at(doc(fsc, {"user_units": [u]}), "2027-01-01T00:00:00+08:00"))) == {["violation", {"user_unit": "bank-n", "period": "2022-2026"}]}
}

test_fscaudit_02_unit_that_left_during_a_block_is_not_required if {
	u := object.union(unit_b, {"left_on": "2023-06-01", "linkage_active": false})
	count(findings("FSCAUDIT-02", doc(fsc, {"user_units": [u]}))) == 0
	count(findings("FSCAUDIT-02", doc(jcic, {"user_units": [unit_b]}))) == 0
}

# ---------------------------------------------------------------------------------------------
# CARDAUDIT-01 and RULES-01 (attestations)

test_cardaudit_01_chip_card_unit_without_attestation_is_violation if {
	subjects(findings("CARDAUDIT-01", doc(bank, {}))) == {["violation", {"requirement": "CARDAUDIT-01"}]}
}

test_cardaudit_01_attested_is_compliant if {
	count(findings("CARDAUDIT-01", doc(bank, {"attestations": [attestation("CARDAUDIT-01", "2027-06-30T00:00:00+08:00")]}))) == 0
}

test_cardaudit_01_expiring_attestation_is_due_soon if {
	subjects(findings("CARDAUDIT-01", doc(bank, {"attestations": [attestation("CARDAUDIT-01", "2026-12-10T00:00:00+08:00")]}))) == {["due_soon", {"requirement": "CARDAUDIT-01"}]}
}

test_cardaudit_01_batch_unit_without_chip_cards_is_not_checked if {
	count(findings("CARDAUDIT-01", doc(batch_bank, {}))) == 0
	count(findings("CARDAUDIT-01", doc(batch_bank, {"chip_cards": [{"id": "c1"}]}))) == 1
	count(findings("CARDAUDIT-01", doc(jcic, {}))) == 0
}

test_rules_01_missing_or_expired_attestation_is_violation if {
	subjects(findings("RULES-01", doc(bank, {}))) == {["violation", {"requirement": "RULES-01"}]}
	count(findings("RULES-01", doc(bank, {"attestations": [attestation("RULES-01", "2026-11-27T10:00:00+08:00")]}))) == 1
}

test_rules_01_attested_is_compliant if {
	count(findings("RULES-01", doc(bank, {"attestations": [attestation("RULES-01", "2027-11-27T10:00:00+08:00")]}))) == 0
	count(findings("RULES-01", doc(jcic, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# TRAIN-01

training(id, staff, y, req, done) := {"id": id, "staff_id": staff, "year": y, "required_hours": req, "completed_hours": done}

test_train_01_required_hours_completed_is_compliant if {
	count(findings("TRAIN-01", doc(jcic, {"trainings": [training("t1", "s1", 2025, 12, 12), training("t2", "s1", 2026, 12, 3)]}))) == 0
}

test_train_01_shortfall_in_ended_year_is_violation if {
	fs := findings("TRAIN-01", doc(jcic, {"trainings": [training("t1", "s1", 2025, 12, 10.5)]}))
	subjects(fs) == {["violation", {"staff": "s1", "year": 2025}]}
	some f in fs
	f.evidence.completed_hours == 10.5
}

test_train_01_shortfall_in_current_year_is_due_soon_near_year_end if {
	st := doc(jcic, {"trainings": [training("t1", "s1", 2025, 12, 12), training("t2", "s1", 2026, 12, 3)]})
	subjects(findings("TRAIN-01", at(st, "2026-12-15T09:00:00+08:00"))) == {["due_soon", {"staff": "s1", "year": 2026}]}
}

test_train_01_year_without_records_is_violation if {
	st := doc(jcic, {"trainings": [training("t1", "s1", 2023, 12, 12), training("t2", "s1", 2025, 12, 12)]})
	subjects(findings("TRAIN-01", st)) == {["violation", {"year": 2024}]}
}

test_train_01_records_of_the_current_year_only if {
	count(findings("TRAIN-01", doc(jcic, {"trainings": [training("t2", "s1", 2026, 12, 3)]}))) == 0
}

test_train_01_without_records_needs_attestation if {
	subjects(findings("TRAIN-01", doc(jcic, {}))) == {["violation", {"requirement": "TRAIN-01"}]}
	count(findings("TRAIN-01", doc(jcic, {"attestations": [attestation("TRAIN-01", "2027-06-30T00:00:00+08:00")]}))) == 0
	count(findings("TRAIN-01", doc(bank, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# CERT-01

cert(id, kind, from, until) := {"id": id, "kind": kind, "valid_from": from, "valid_until": until}

valid_certs := [
	cert("iso-2026", "ISO27001", "2026-03-01T00:00:00+08:00", "2027-03-01T00:00:00+08:00"),
	cert("tpipas-2026", "TPIPAS", "2026-05-01T00:00:00+08:00", "2027-05-01T00:00:00+08:00"),
]

cert_attested := [attestation("CERT-01", "2027-06-30T00:00:00+08:00")]

test_cert_01_valid_certificates_are_compliant if {
	count(findings("CERT-01", doc(jcic, {"certifications": valid_certs, "attestations": cert_attested}))) == 0
}

test_cert_01_expired_certificate_is_violation if {
	old := cert("iso-2025", "ISO27001", "2025-03-01T00:00:00+08:00", "2026-03-01T00:00:00+08:00")
	fs := findings("CERT-01", doc(jcic, {"certifications": [old, valid_certs[1]], "attestations": cert_attested}))
	subjects(fs) == {["violation", {"certificate": "ISO27001"}]}
	some f in fs
	f.evidence.latest_valid_until == "2026-03-01T00:00:00+08:00"
}

test_cert_01_missing_certificate_is_violation if {
	fs := findings("CERT-01", doc(jcic, {"certifications": [valid_certs[0]], "attestations": cert_attested}))
	subjects(fs) == {["violation", {"certificate": "TPIPAS"}]}
	some f in fs
	f.evidence.latest_valid_until == null
}

test_cert_01_expiry_at_as_of_is_not_valid if {
	c := cert("iso-x", "ISO27001", "2025-11-27T10:00:00+08:00", "2026-11-27T10:00:00+08:00")
	subjects(findings("CERT-01", doc(jcic, {"certifications": [c, valid_certs[1]], "attestations": cert_attested}))) == {["violation", {"certificate": "ISO27001"}]}
}

test_cert_01_expiring_soon_is_due_soon_unless_renewed if {
	soon := cert("iso-x", "ISO27001", "2025-12-20T00:00:00+08:00", "2026-12-20T00:00:00+08:00")
	fs := findings("CERT-01", doc(jcic, {"certifications": [soon, valid_certs[1]], "attestations": cert_attested}))
	subjects(fs) == {["due_soon", {"certificate": "ISO27001"}]}
	renewed := cert("iso-y", "ISO27001", "2026-12-20T00:00:00+08:00", "2027-12-20T00:00:00+08:00")
	count(findings("CERT-01", doc(jcic, {"certifications": [soon, renewed, valid_certs[1]], "attestations": cert_attested}))) == 0
}

test_cert_01_scope_attestation_required if {
	subjects(findings("CERT-01", doc(jcic, {"certifications": valid_certs}))) == {["violation", {"requirement": "CERT-01"}]}
	count(findings("CERT-01", doc(bank, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# INCIDENT-01

incident(extra) := object.union({"id": "inc1", "detected_at": "2026-11-01T10:00:00+08:00", "kind": "leak", "response_recorded": true}, extra)

test_incident_01_user_unit_notifies_jcic_and_bli_within_the_hour if {
	i := incident({"notified_jcic_at": "2026-11-01T11:00:00+08:00", "notified_bli_at": "2026-11-01T10:30:00+08:00"})
	count(findings("INCIDENT-01", doc(bank, {"incidents": [i]}))) == 0
}

test_incident_01_one_second_late_is_violation if {
	i := incident({"notified_jcic_at": "2026-11-01T11:00:01+08:00", "notified_bli_at": "2026-11-01T10:30:00+08:00"})
	fs := findings("INCIDENT-01", doc(bank, {"incidents": [i]}))
	subjects(fs) == {["violation", {"incident": "inc1", "party": "jcic"}]}
	some f in fs
	f.evidence.deadline == "2026-11-01T11:00:00+08:00"
	f.evidence.notice_hours == 1
	f.institution_defined == ["incident.notice_hours"]
}

test_incident_01_not_notified_and_no_response_is_violation if {
	i := incident({"notified_jcic_at": "2026-11-01T10:10:00+08:00", "response_recorded": false})
	subjects(findings("INCIDENT-01", doc(bank, {"incidents": [i]}))) == {
		["violation", {"incident": "inc1", "party": "bli"}],
		["violation", {"incident": "inc1", "check": "response"}],
	}
}

test_incident_01_jcic_notifies_fsc_and_bli if {
	i := incident({"notified_jcic_at": "2026-11-01T10:10:00+08:00", "notified_bli_at": "2026-11-01T10:10:00+08:00"})
	subjects(findings("INCIDENT-01", doc(jcic, {"incidents": [i]}))) == {["violation", {"incident": "inc1", "party": "fsc"}]}
	j := object.union(i, {"notified_fsc_at": "2026-11-01T10:20:00+08:00"})
	count(findings("INCIDENT-01", doc(jcic, {"incidents": [j]}))) == 0
}

test_incident_01_fresh_incident_is_due_soon if {
	i := incident({"detected_at": "2026-11-27T09:30:00+08:00", "response_recorded": null})
	subjects(findings("INCIDENT-01", doc(bank, {"incidents": [i]}))) == {
		["due_soon", {"incident": "inc1", "party": "jcic"}],
		["due_soon", {"incident": "inc1", "party": "bli"}],
		["due_soon", {"incident": "inc1", "check": "response"}],
	}
}

test_incident_01_institution_notice_hours_apply if {
	i := incident({"notified_jcic_at": "2026-11-01T13:00:00+08:00", "notified_bli_at": "2026-11-01T13:00:00+08:00"})
	count(findings("INCIDENT-01", doc(params(bank, {"incident.notice_hours": 4}), {"incidents": [i]}))) == 0
	fs := findings("INCIDENT-01", doc(params(bank, {"incident.notice_hours": 0.5}), {"incidents": [i]}))
	count(fs) == 2
	some f in fs
	f.evidence.deadline == "2026-11-01T10:30:00+08:00"
}

test_incident_01_unusable_notice_hours_reported_and_default_used if {
	i := incident({"notified_jcic_at": "2026-11-01T13:00:00+08:00", "notified_bli_at": "2026-11-01T10:13:00+08:00"})
	subjects(findings("INCIDENT-01", doc(params(bank, {"incident.notice_hours": "asap"}), {"incidents": [i]}))) == {
		["violation", {"incident": "inc1", "party": "jcic"}],
		["violation", {"key": "parameters.incident.notice_hours", "parameter": "incident.notice_hours"}],
	}
}

test_incident_01_supervisor_has_no_parties_to_notify if {
	count(findings("INCIDENT-01", doc(fsc, {"incidents": [incident({})]}))) == 0
}

cfg(role, incident_cfg) := {"institution": {"id": "x", "name": "X", "role": role}, "incident": incident_cfg}

test_incident_01_config_compliant if {
	count(cfindings("INCIDENT-01", cfg("user_unit", {"notice_hours": 1, "notify": ["jcic", "bli"]}))) == 0
	count(cfindings("INCIDENT-01", cfg("management_agency", {"notice_hours": 0.5, "notify": ["fsc", "bli", "jcic"]}))) == 0
	count(cfindings("INCIDENT-01", cfg("supervisor", {}))) == 0
}

test_incident_01_config_notice_hours_must_be_set if {
	fs := cfindings("INCIDENT-01", cfg("user_unit", {"notify": ["jcic", "bli"]}))
	subjects(fs) == {["violation", {"key": "incident.notice_hours"}]}
	some f in fs
	f.institution_defined == ["incident.notice_hours"]
	count(cfindings("INCIDENT-01", cfg("user_unit", {"notice_hours": -1, "notify": ["jcic", "bli"]}))) == 1
}

test_incident_01_config_notify_parties_by_role if {
	fs := cfindings("INCIDENT-01", cfg("user_unit", {"notice_hours": 1, "notify": ["bli"]}))
	subjects(fs) == {["violation", {"key": "incident.notify"}]}
	some f in fs
	f.evidence.missing == ["jcic"]
	gs := cfindings("INCIDENT-01", cfg("management_agency", {"notice_hours": 1, "notify": ["jcic", "bli"]}))
	some g in gs
	g.evidence.missing == ["fsc"]
	count(cfindings("INCIDENT-01", {"institution": {"id": "x", "name": "X", "role": "user_unit"}})) == 2
}

test_incident_01_config_unusable_override if {
	c := object.union(cfg("user_unit", {"notice_hours": 1, "notify": ["jcic", "bli"]}), {"parameters": {"incident.notice_hours": "now"}})
	subjects(cfindings("INCIDENT-01", c)) == {["violation", {"key": "parameters.incident.notice_hours", "parameter": "incident.notice_hours"}]}
}

# ---------------------------------------------------------------------------------------------
# SAMPLE-01 additions: batch/server units, configuration

test_sample_01_batch_unit_must_check_system_records if {
	st := object.union(state([{"month": "2026-09", "records": 612}], [sample("2026-09", 13, "2026-10-20T10:00:00+08:00")]), {"institution": {"batch_server": true}})
	subjects(sample_findings(st)) == {["violation", {"month": "2026-09", "check": "system_records"}]}
	s := object.union(sample("2026-09", 13, "2026-10-20T10:00:00+08:00"), {"system_records_checked": true})
	ok := object.union(state([{"month": "2026-09", "records": 612}], [s]), {"institution": {"batch_server": true}})
	count(sample_findings(ok)) == 0
}

test_sample_01_config_retention_and_weaker_override if {
	c := {"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"}, "retention": {"monthly_samples": 2}, "parameters": {"sampling.minimum": 5}}
	subjects(cfindings("SAMPLE-01", c)) == {
		["violation", {"key": "retention.monthly_samples"}],
		["violation", {"key": "parameters.sampling.minimum", "parameter": "sampling.minimum"}],
	}
	count(cfindings("SAMPLE-01", {"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"}, "retention": {"monthly_samples": 5}})) == 0
}

test_sample_01_due_months_override if {
	# two months: the September sample is due by the end of November (due soon on 27 November)
	st := object.union(state([{"month": "2026-09", "records": 612}], []), {"institution": {"parameters": {"sampling.due_months": 2}}})
	subjects(sample_findings(st)) == {["due_soon", {"month": "2026-09"}]}
	bad := object.union(state([{"month": "2026-09", "records": 612}], []), {"institution": {"parameters": {"sampling.due_months": "two"}}})
	subjects(sample_findings(bad)) == {["violation", {"month": "2026-09"}], ["violation", {"key": "parameters.sampling.due_months", "parameter": "sampling.due_months"}]}
	c := {"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"}, "parameters": {"sampling.due_months": -2}}
	subjects(cfindings("SAMPLE-01", c)) == {["violation", {"key": "parameters.sampling.due_months", "parameter": "sampling.due_months"}]}
}
