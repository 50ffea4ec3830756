package bligate.areas.oversight_test

import data.bligate.areas.oversight

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
