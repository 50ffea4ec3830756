package bligate.areas.data_quality_test

import data.bligate.areas.data_quality

doc(rows) := {
	"as_of": "2026-11-27T10:00:00+08:00",
	"institution": {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"},
	"invalid_rows": rows,
}

row(table, id, pointer) := {"table": table, "id": id, "pointer": pointer, "message": "must have required property 'consented_on'"}

test_consent_02_consent_without_date_is_a_finding if {
	fs := data_quality.state_findings with input as doc([row("consents", "c-1", "/consented_on")])
	count(fs) == 1
	some f in fs
	f.requirement == "CONSENT-02"
	f.status == "violation"
	f.clause == "四(二)3(4)"
	f.subject == {"institution": "bank-001", "table": "consents", "record": "c-1", "pointer": "/consented_on"}
	f.evidence.problem == "must have required property 'consented_on'"
}

test_consent_02_no_invalid_rows_no_finding if {
	fs1 := data_quality.state_findings with input as doc([])
	count(fs1) == 0
	fs2 := data_quality.state_findings with input as {"as_of": "2026-11-27T10:00:00+08:00", "institution": {"id": "b", "name": "B", "role": "user_unit"}}
	count(fs2) == 0
}

test_log_01_broken_query_record_is_a_finding if {
	fs := data_quality.state_findings with input as doc([row("query_records", "q-9", "/at")])
	{f.requirement | some f in fs} == {"LOG-01"}
}

test_log_01_unknown_table_is_reported_under_log_01 if {
	fs := data_quality.state_findings with input as doc([row("mystery", "m-1", "/x")])
	{[f.requirement, f.subject.table] | some f in fs} == {["LOG-01", "mystery"]}
}

test_log_01_two_errors_of_one_row_are_two_findings if {
	fs := data_quality.state_findings with input as doc([row("consents", "c-1", "/consented_on"), row("consents", "c-1", "/channel")])
	count(fs) == 2
}

# Every table the collector can report maps to a requirement rule that reports it.
test_every_table_maps_to_its_requirement if {
	every table, req in data_quality.tables {
		fs := data_quality.state_findings with input as doc([row(table, "r-1", "/id")])
		{f.requirement | some f in fs} == {req}
	}
}
