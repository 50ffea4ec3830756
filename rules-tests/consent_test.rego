package bligate.areas.consent_test

import data.bligate.areas.consent

# ---------------------------------------------------------------------------------------------
# Fixtures

as_of := "2026-11-27T10:00:00+08:00"

inst := {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"}

good_consent := {
	"id": "con-1",
	"subject_id": "A123456789",
	"channel": "electronic",
	"consented_on": "2026-11-20",
	"source_ip": "203.0.113.7",
	"source_phone": null,
	"text_version": "BLI-CONSENT-v3",
	"identity_verified": true,
	"jcic_registered_at": "2026-11-20T11:00:00+08:00",
	"jcic_approved_at": "2026-11-20T15:00:00+08:00",
	"credit_granted": null,
	"credit_end_on": null,
	"refused_on": null,
	"deleted_at": null,
}

cons(patch) := object.union(good_consent, patch)

good_record := {"id": "rec-1", "at": "2026-11-21T10:00:00+08:00", "consent_id": "con-1"}

rec(patch) := object.union(good_record, patch)

state(records, consents) := {"as_of": as_of, "institution": inst, "query_records": records, "consents": consents}

state_findings(doc, id) := {f | some f in consent.state_findings with input as doc; f.requirement == id}

good_broker := {
	"as_of": as_of,
	"institution": inst,
	"request": {
		"id": "req-1",
		"account_id": "acct-q01",
		"purpose": "credit",
		"requested_at": "2026-11-27T09:59:00+08:00",
		"requested_fields": ["name"],
		"consent_id": "con-1",
	},
	"consent": good_consent,
}

broker(patch) := object.union(good_broker, patch)

denials(doc) := {d | some d in consent.broker_denials with input as doc; d.requirement == "CONSENT-01"}

problems(doc) := {p | some d in denials(doc); some p in d.evidence.problems}

good_config := {
	"institution": inst,
	"query": {"require_consent": true},
	"retention": {"consents": 5},
}

config_findings(doc, id) := {f | some f in consent.config_findings with input as doc; f.requirement == id}

config_keys(doc, id) := {f.subject.key | some f in config_findings(doc, id)}

as_role(doc, role) := object.union(doc, {"institution": {"role": role}})

# ---------------------------------------------------------------------------------------------
# CONSENT-01 — broker

test_consent_01_broker_approved_consent_allowed if {
	count(consent.broker_denials) == 0 with input as good_broker
}

test_consent_01_broker_no_consent_denied if {
	ds := denials(broker({"consent": null}))
	count(ds) == 1
	some d in ds
	d.status == "violation"
	d.subject == {"institution": "bank-001", "request": "req-1"}
	d.evidence.problems == ["consent_missing"]
	d.evidence.consent == null
	d.clause == "四(二)1(2), 3(2), 3(3)"
	problems(json.remove(good_broker, ["consent"])) == {"consent_missing"}
}

test_consent_01_broker_other_consent_denied if {
	problems(broker({"request": {"consent_id": "con-9"}})) == {"consent_mismatch"}
	count(denials(broker({"request": {"consent_id": null}}))) == 0
}

test_consent_01_broker_not_sent_to_jcic if {
	problems(broker({"consent": {"jcic_registered_at": null, "jcic_approved_at": null}})) == {"not_registered", "not_approved"}
}

test_consent_01_broker_not_approved if {
	ds := denials(broker({"consent": {"jcic_approved_at": null}}))
	some d in ds
	d.evidence.problems == ["not_approved"]
	d.message.en == "Request req-1 has no consent of the data subject approved by JCIC before the request (consent not approved by JCIC); the request is denied."
}

test_consent_01_broker_approved_at_request_instant_allowed if {
	count(denials(broker({"consent": {"jcic_approved_at": "2026-11-27T09:59:00+08:00"}}))) == 0
}

test_consent_01_broker_approved_one_second_after_request if {
	problems(broker({"consent": {"jcic_approved_at": "2026-11-27T09:59:01+08:00"}})) == {"approved_after_query"}
}

test_consent_01_broker_registered_after_request if {
	doc := broker({"consent": {"jcic_registered_at": "2026-11-27T09:59:30+08:00", "jcic_approved_at": "2026-11-27T09:59:40+08:00"}})
	problems(doc) == {"registered_after_query", "approved_after_query"}
}

test_consent_01_broker_consent_dated_after_request if {
	problems(broker({"consent": {"consented_on": "2026-11-28"}})) == {"consented_after_query"}
	count(denials(broker({"consent": {"consented_on": "2026-11-27"}}))) == 0
}

test_consent_01_broker_consent_deleted if {
	problems(broker({"consent": {"deleted_at": "2026-11-27T09:00:00+08:00"}})) == {"deleted_before_query"}
}

test_consent_01_broker_identity_verification_failed if {
	problems(broker({"consent": {"identity_verified": false}})) == {"identity_not_verified"}
	count(denials(broker({"consent": {"channel": "written", "identity_verified": false}}))) == 0
}

test_consent_01_broker_uses_as_of_when_request_time_missing if {
	doc := json.remove(broker({"consent": {"jcic_approved_at": "2026-11-27T09:59:30+08:00"}}), ["request/requested_at"])
	count(denials(doc)) == 0
}

# ---------------------------------------------------------------------------------------------
# CONSENT-01 — state

test_consent_01_state_record_with_approved_consent if {
	count(state_findings(state([good_record], [good_consent]), "CONSENT-01")) == 0
}

test_consent_01_state_record_without_consent if {
	fs := state_findings(state([rec({"consent_id": null})], [good_consent]), "CONSENT-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "record": "rec-1"}
	f.evidence.problems == ["consent_missing"]
	f.evidence.consents == []
}

test_consent_01_state_consent_not_in_document if {
	some f in state_findings(state([rec({"consent_id": "con-404"})], [good_consent]), "CONSENT-01")
	f.evidence.problems == ["consent_not_found"]
}

test_consent_01_state_query_before_jcic_approval if {
	r := rec({"at": "2026-11-20T14:59:59+08:00"})
	some f in state_findings(state([r], [good_consent]), "CONSENT-01")
	f.evidence.problems == ["approved_after_query"]
	f.evidence.consents[0].jcic_approved_at == "2026-11-20T15:00:00+08:00"
	count(state_findings(state([rec({"at": "2026-11-20T15:00:00+08:00"})], [good_consent]), "CONSENT-01")) == 0
}

test_consent_01_state_duplicate_ids_one_good_is_enough if {
	bad := cons({"jcic_approved_at": null})
	count(state_findings(state([good_record], [bad, good_consent]), "CONSENT-01")) == 0
}

test_consent_01_state_duplicate_ids_all_bad_reports_fewest_problems if {
	bad1 := cons({"jcic_approved_at": null})
	bad2 := cons({"jcic_registered_at": null, "jcic_approved_at": null})
	some f in state_findings(state([good_record], [bad2, bad1]), "CONSENT-01")
	f.evidence.problems == ["not_approved"]
	count(f.evidence.consents) == 2
}

test_consent_01_state_applies_to_management_agency_records if {
	doc := as_role(state([rec({"consent_id": null})], []), "management_agency")
	count(state_findings(doc, "CONSENT-01")) == 1
}

# ---------------------------------------------------------------------------------------------
# CONSENT-01 — config

test_consent_01_config_require_consent if {
	count(config_findings(good_config, "CONSENT-01")) == 0
	config_keys(object.union(good_config, {"query": {"require_consent": false}}), "CONSENT-01") == {"query.require_consent"}
	config_keys(as_role(json.remove(good_config, ["query"]), "management_agency"), "CONSENT-01") == {"query.require_consent"}
	count(config_findings(as_role(json.remove(good_config, ["query"]), "supervisor"), "CONSENT-01")) == 0
}

# ---------------------------------------------------------------------------------------------
# CONSENT-02

test_consent_02_complete_electronic_consent if {
	count(state_findings(state([], [good_consent]), "CONSENT-02")) == 0
	count(state_findings(state([], [cons({"source_ip": null, "source_phone": "0912345678"})]), "CONSENT-02")) == 0
	count(state_findings(state([], [cons({"identity_verified": false})]), "CONSENT-02")) == 0
}

test_consent_02_missing_source if {
	fs := state_findings(state([], [cons({"source_ip": "", "source_phone": null})]), "CONSENT-02")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "consent": "con-1"}
	f.evidence.missing == ["source_missing"]
	f.severity == "medium"
}

test_consent_02_missing_text_version_and_identity_result if {
	some f in state_findings(state([], [cons({"text_version": null, "identity_verified": null})]), "CONSENT-02")
	f.evidence.missing == ["text_version_missing", "identity_result_missing"]
	f.message.en == "Electronic consent con-1 does not keep: consent text or version, identity-verification result."
}

test_consent_02_missing_date if {
	c := json.remove(good_consent, ["consented_on"])
	some f in state_findings(state([], [c]), "CONSENT-02")
	f.evidence.missing == ["date_missing"]
}

test_consent_02_written_consent_not_checked if {
	c := cons({"channel": "written", "source_ip": null, "text_version": null, "identity_verified": null})
	count(state_findings(state([], [c]), "CONSENT-02")) == 0
}

test_consent_02_deleted_consent_not_checked if {
	c := cons({"source_ip": null, "credit_end_on": "2020-01-31", "deleted_at": "2025-02-01T00:00:00+08:00"})
	count(state_findings(state([], [c]), "CONSENT-02")) == 0
}

# ---------------------------------------------------------------------------------------------
# CONSENT-03

test_consent_03_deleted_exactly_five_years_after_credit_end if {
	c := cons({"credit_granted": true, "credit_end_on": "2021-03-31", "deleted_at": "2026-03-31T00:00:00+08:00"})
	count(state_findings(state([], [c]), "CONSENT-03")) == 0
}

test_consent_03_deleted_one_second_before_five_years if {
	c := cons({"credit_granted": true, "credit_end_on": "2021-03-31", "deleted_at": "2026-03-30T23:59:59+08:00"})
	fs := state_findings(state([], [c]), "CONSENT-03")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "consent": "con-1"}
	f.evidence.keep_until == "2026-03-31"
	f.evidence.retention_years == 5
}

test_consent_03_refused_credit_kept_five_years_from_refusal if {
	c := cons({"credit_granted": false, "refused_on": "2022-06-15", "deleted_at": "2027-06-14T12:00:00+08:00"})
	some f in state_findings(state([], [c]), "CONSENT-03")
	f.evidence.keep_until == "2027-06-15"
	c2 := object.union(c, {"deleted_at": "2027-06-15T00:00:00+08:00"})
	count(state_findings(state([], [c2]), "CONSENT-03")) == 0
}

test_consent_03_credit_not_ended_cannot_be_deleted if {
	c := cons({"credit_granted": true, "deleted_at": "2026-11-01T10:00:00+08:00"})
	some f in state_findings(state([], [c]), "CONSENT-03")
	f.evidence.keep_until == null
	c2 := cons({"credit_granted": true, "credit_end_on": "2030-01-31", "deleted_at": "2026-11-01T10:00:00+08:00"})
	some f2 in state_findings(state([], [c2]), "CONSENT-03")
	f2.evidence.keep_until == "2035-01-31"
}

test_consent_03_later_basis_governs if {
	c := cons({"credit_end_on": "2020-01-31", "refused_on": "2021-05-01", "deleted_at": "2025-06-01T00:00:00+08:00"})
	some f in state_findings(state([], [c]), "CONSENT-03")
	f.evidence.keep_until == "2026-05-01"
}

test_consent_03_kept_consent_is_compliant if {
	count(state_findings(state([], [cons({"credit_end_on": "2021-03-31"})]), "CONSENT-03")) == 0
}

test_consent_03_institution_keeps_longer if {
	c := cons({"credit_end_on": "2019-03-31", "deleted_at": "2025-04-01T00:00:00+08:00"})
	count(state_findings(state([], [c]), "CONSENT-03")) == 0
	doc := object.union(state([], [c]), {"institution": {"parameters": {"retention.years": 7}}})
	some f in state_findings(doc, "CONSENT-03")
	f.evidence.keep_until == "2026-03-31"
}

test_consent_03_config_retention if {
	count(config_findings(good_config, "CONSENT-03")) == 0
	config_keys(object.union(good_config, {"retention": {"consents": 3}}), "CONSENT-03") == {"retention.consents"}
	config_keys(json.remove(good_config, ["retention"]), "CONSENT-03") == {"retention.consents"}
	count(config_findings(as_role(json.remove(good_config, ["retention"]), "management_agency"), "CONSENT-03")) == 0
}

# ---------------------------------------------------------------------------------------------
# CONSENT-01 — the screen: record_covered and uncovered_records against the detailed checks
#
# CONSENT-01 checks in detail only the records record_covered does not clear. These tests pin
# the screen to the detailed checks (record_consent_problems): for records and consents holding
# each problem, boundary instants and odd values of every kind, the findings are those the
# detailed checks give when every record goes through them (uncovered_records replaced by
# every record).

screened_findings(doc) := fs if {
	fs := consent.state_findings with input as doc
}

detailed_findings(doc) := fs if {
	all := object.get(doc, "query_records", [])
	fs := consent.state_findings with input as doc with data.bligate.areas.consent.uncovered_records as all
}

# Values of every kind: blank ones and others.
odd_values := [
	null, "", "   ", "\t\n", "\u00a0", "\u3000", {}, [],
	0, 7, -1.5, false, true, {"a": 1}, ["x"], "x y",
]

# The record is at 2026-11-21T10:00 (Taipei); the consent dated 2026-11-20, registered at 11:00
# and approved at 15:00 that day.
record_values := {
	"/at": [
		"2026-11-20T15:00:00+08:00", "2026-11-20T07:00:00Z", "2026-11-20T14:59:59.999999999+08:00",
		"2026-11-20T10:59:59+08:00", "2026-11-20T00:00:00+08:00", "2026-11-19T23:59:59+08:00",
		"not a time", "2026-02-30T10:00:00+08:00", "2026-11-21",
	],
	"/consent_id": ["con-1", "con-404", " con-1"],
}

consent_values := {
	"/id": ["con-2"],
	"/channel": ["written", "electronic"],
	"/consented_on": ["2026-11-21", "2026-11-22", "2026-11-21T00:00:00+08:00", "2026-02-30"],
	"/jcic_registered_at": [
		"2026-11-21T10:00:00+08:00", "2026-11-21T10:00:00.000000001+08:00", "2026-11-21T02:00:00Z",
		"2026-11-21T02:00:01Z", "not a time",
	],
	"/jcic_approved_at": [
		"2026-11-21T10:00:00+08:00", "2026-11-21T10:00:00.000000001+08:00", "2026-11-21T02:00:00Z",
		"2026-11-21T02:00:01Z", "not a time",
	],
	"/deleted_at": [
		"2026-11-21T10:00:00+08:00", "2026-11-21T10:00:00.000000001+08:00", "2026-11-21T09:59:59+08:00",
		"2026-11-21T02:00:00Z", "2026-11-21T02:00:00.000000001Z", "not a time", "2030-01-01T00:00:00+08:00",
	],
	"/identity_verified": [],
}

# A document of the good record and consent, one of them with one field changed (or removed).
screen_cases contains {"name": sprintf("record %s = %s", [p, json.marshal(v)]), "doc": state([r], [good_consent])} if {
	some p, extra in record_values
	some v in array.concat(odd_values, extra)
	r := json.patch(good_record, [{"op": "add", "path": p, "value": v}])
}

screen_cases contains {"name": sprintf("record %s absent", [p]), "doc": state([r], [good_consent])} if {
	some p, _ in record_values
	r := json.patch(good_record, [{"op": "remove", "path": p}])
}

screen_cases contains {"name": sprintf("consent %s = %s", [p, json.marshal(v)]), "doc": state([good_record], [c])} if {
	some p, extra in consent_values
	some v in array.concat(odd_values, extra)
	c := json.patch(good_consent, [{"op": "add", "path": p, "value": v}])
}

screen_cases contains {"name": sprintf("consent %s absent", [p]), "doc": state([good_record], [c])} if {
	some p, _ in consent_values
	c := json.patch(good_consent, [{"op": "remove", "path": p}])
}

# A record and its consent with the same odd id: blank ids are missing, others are ids.
screen_cases contains {"name": sprintf("both ids = %s", [json.marshal(v)]), "doc": state([rec({"consent_id": v})], [cons({"id": v})])} if {
	some v in odd_values
}

# Several consents with one id: one that covers the query is enough, else the fewest problems.
screen_cases contains {"name": sprintf("consents %d", [i]), "doc": state([good_record], cs)} if {
	some i, cs in [
		[cons({"jcic_approved_at": null}), good_consent],
		[cons({"jcic_approved_at": null}), cons({"deleted_at": "2026-11-21T09:00:00+08:00"})],
		[cons({"jcic_approved_at": "2026-11-22T00:00:00+08:00"}), cons({"consented_on": "2026-11-22"})],
		[cons({"deleted_at": "2026-11-21T10:00:00+08:00"}), cons({"deleted_at": "2026-11-21T10:00:01+08:00"})],
		[cons({"channel": "electronic", "identity_verified": false}), cons({"channel": "written", "identity_verified": false})],
		[good_consent, good_consent],
		[],
	]
}

# Records that are no objects, and a document without consents.
screen_cases contains {"name": sprintf("record %s", [json.marshal(v)]), "doc": state([v], [good_consent])} if {
	some v in ["rec-1", 7, null, [], ["con-1"]]
}

screen_cases contains {"name": "no consents", "doc": {"as_of": as_of, "institution": inst, "query_records": [good_record]}}

test_screen_covers_the_good_record if {
	consent.record_covered(good_record) with input as state([good_record], [good_consent])
	count(consent.uncovered_records) == 0 with input as state([good_record, rec({"id": "rec-2"})], [good_consent])
}

# The screen covers compliant records at the boundaries too (else they cost the detailed checks).
test_screen_covers_at_the_boundaries if {
	every doc in [
		state([rec({"at": "2026-11-20T15:00:00+08:00"})], [good_consent]),
		state([rec({"at": "2026-11-20T07:00:00Z"})], [good_consent]),
		state([good_record], [cons({"consented_on": "2026-11-21"})]),
		state([rec({"at": "2026-11-21T00:00:00+08:00"})], [cons({"consented_on": "2026-11-21"})]),
		state([good_record], [cons({"channel": "written", "identity_verified": null})]),
		state([good_record], [cons({"jcic_registered_at": "2026-11-21T02:00:00Z", "jcic_approved_at": "2026-11-21T10:00:00+08:00"})]),
		state([good_record], [cons({"jcic_approved_at": null}), good_consent]),
		state([rec({"id": "rec-2"}), good_record], [good_consent, cons({"id": "con-2"})]),
	] {
		count(consent.uncovered_records) == 0 with input as doc
	}
}

# The heart of it: whatever the records and consents hold, the screen changes no finding.
test_screen_gives_the_findings_of_the_detailed_checks if {
	mismatched := {c.name |
		some c in screen_cases
		screened_findings(c.doc) != detailed_findings(c.doc)
	}
	mismatched == set()
}

# The same with many records in one batch, against every consent at once.
test_screen_gives_the_findings_of_the_detailed_checks_in_one_batch if {
	records := [object.union(r, {"id": sprintf("rec-%d", [i])}) |
		some c in screen_cases
		some r in c.doc.query_records
		is_object(r)
		some i, _ in [c.name]
	]
	consents := [cons({"id": "con-9", "jcic_approved_at": "2026-11-21T09:00:00+08:00"}), cons({"id": "con-8", "deleted_at": "2026-11-21T09:00:00+08:00"})]
	doc := state(
		array.concat(records, [rec({"id": "rec-9", "consent_id": "con-9"}), rec({"id": "rec-8", "consent_id": "con-8"})]),
		array.concat([c | some x in screen_cases; some c in object.get(x.doc, "consents", [])], consents),
	)
	fs := screened_findings(doc)
	fs == detailed_findings(doc)
	count(fs) > 10
}

# What the detailed checks make of some of the cases (the screen passes them on).
screen_case_problems(name) := {p |
	some c in screen_cases
	c.name == name
	some f in screened_findings(c.doc)
	f.requirement == "CONSENT-01"
	some p in f.evidence.problems
}

test_screen_consent_missing_or_not_found if {
	screen_case_problems("record /consent_id = \"   \"") == {"consent_missing"}
	screen_case_problems("record /consent_id absent") == {"consent_missing"}
	screen_case_problems("both ids = \"\\t\\n\"") == {"consent_missing"}
	screen_case_problems("both ids = {}") == set()
	screen_case_problems("record /consent_id = \" con-1\"") == {"consent_not_found"}
	screen_case_problems("consent /id absent") == {"consent_not_found"}
}

test_screen_instants_at_the_boundaries if {
	screen_case_problems("record /at = \"2026-11-20T15:00:00+08:00\"") == set()
	screen_case_problems("record /at = \"2026-11-20T14:59:59.999999999+08:00\"") == {"approved_after_query"}
	screen_case_problems("record /at = \"2026-11-20T10:59:59+08:00\"") == {"registered_after_query", "approved_after_query"}
	screen_case_problems("record /at = \"2026-11-19T23:59:59+08:00\"") == {"consented_after_query", "registered_after_query", "approved_after_query"}
	screen_case_problems("consent /consented_on = \"2026-11-21\"") == set()
	screen_case_problems("consent /consented_on = \"2026-11-22\"") == {"consented_after_query"}
	screen_case_problems("consent /jcic_registered_at = \"2026-11-21T02:00:00Z\"") == set()
	screen_case_problems("consent /jcic_registered_at = \"2026-11-21T02:00:01Z\"") == {"registered_after_query"}
	screen_case_problems("consent /jcic_approved_at = \"2026-11-21T10:00:00.000000001+08:00\"") == {"approved_after_query"}
	screen_case_problems("consent /deleted_at = \"2026-11-21T10:00:00+08:00\"") == {"deleted_before_query"}
	screen_case_problems("consent /deleted_at = \"2026-11-21T02:00:00Z\"") == {"deleted_before_query"}
	screen_case_problems("consent /deleted_at = \"2026-11-21T02:00:00.000000001Z\"") == set()
}

test_screen_blank_odd_and_unreadable_values if {
	screen_case_problems("consent /jcic_registered_at = \"   \"") == {"not_registered"}
	screen_case_problems("consent /jcic_approved_at absent") == {"not_approved"}
	screen_case_problems("consent /jcic_approved_at = 7") == set()
	screen_case_problems("consent /jcic_approved_at = \"not a time\"") == set()
	screen_case_problems("consent /consented_on = \"2026-02-30\"") == set()
	screen_case_problems("consent /identity_verified = false") == {"identity_not_verified"}
	screen_case_problems("consent /identity_verified = null") == set()
	screen_case_problems("record /at = \"not a time\"") == set()
	screen_case_problems("record /at absent") == set()
}

test_screen_several_consents_with_one_id if {
	screen_case_problems("consents 0") == set()
	screen_case_problems("consents 1") == {"deleted_before_query"}
	screen_case_problems("consents 2") == {"approved_after_query"}
	screen_case_problems("consents 3") == set()
	screen_case_problems("consents 4") == set()
	screen_case_problems("consents 6") == {"consent_not_found"}
}
