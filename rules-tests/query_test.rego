package bligate.areas.query_test

import data.bligate.areas.query

# ---------------------------------------------------------------------------------------------
# Fixtures

as_of := "2026-11-27T10:00:00+08:00"

inst := {"id": "bank-001", "name": "Demo Bank", "role": "user_unit"}

six_fields := ["name", "national_id", "birth_date", "employer", "change_date", "insured_salary"]

good_request := {
	"id": "req-1",
	"account_id": "acct-q01",
	"staff_id": "st-q01",
	"purpose": "credit",
	"case_no": "CASE-001",
	"reason": "房貸徵審",
	"requested_at": "2026-11-27T09:59:00+08:00",
	"op_code": "BLI01",
	"conditions": {"national_id": "A123456789"},
	"consent_id": "con-1",
	"requested_fields": ["name", "national_id", "employer", "insured_salary"],
	"destination_country": "TW",
	"client_ip": "10.1.2.3",
}

good_broker := {
	"as_of": as_of,
	"institution": inst,
	"request": good_request,
	"approval": {"approved_by": "st-mgr", "approved_at": "2026-11-27T09:50:00+08:00", "level_ok": true},
	"session": {"started_at": "2026-11-27T09:00:00+08:00", "last_activity_at": "2026-11-27T09:55:00+08:00"},
}

broker(patch) := object.union(good_broker, patch)

req(patch) := broker({"request": patch})

denials(doc, id) := {d | some d in query.broker_denials with input as doc; d.requirement == id}

good_record := {
	"id": "rec-1",
	"at": "2026-11-20T10:00:00+08:00",
	"account_id": "acct-q01",
	"staff_id": "st-q01",
	"ip": "10.1.2.3",
	"op_code": "BLI01",
	"conditions": {"national_id": "A123456789"},
	"case_no": "CASE-001",
	"reason": "房貸徵審",
	"purpose": "credit",
	"consent_id": "con-1",
	"approval": {"approved_by": "st-mgr", "approved_at": "2026-11-20T09:30:00+08:00", "level_ok": true},
	"fields": ["name", "national_id", "employer", "insured_salary"],
	"destination_country": "TW",
	"printed_other_case": false,
	"modified_data": false,
	"deleted_at": null,
}

rec(patch) := object.union(good_record, patch)

state(records) := {"as_of": as_of, "institution": inst, "query_records": records, "attestations": [log_03_attestation]}

with_params(doc, params) := object.union(doc, {"institution": {"parameters": params}})

state_findings(doc, id) := {f | some f in query.state_findings with input as doc; f.requirement == id}

log_03_attestation := {
	"id": "att-log03",
	"requirement": "LOG-03",
	"attested_by": "st-head",
	"attested_at": "2026-06-01T09:00:00+08:00",
	"evidence_ref": "DOC-LOG03-2026",
	"valid_until": "2027-06-01T00:00:00+08:00",
}

good_config := {
	"institution": inst,
	"session": {"idle_timeout_minutes": 15, "auto_logout": true},
	"query_log": {"enabled": true, "fields": ["account", "ip", "date", "time", "op_code", "conditions", "case_no", "reason"], "retention_years": 5},
	"query": {"purposes": ["credit"], "require_approval": true, "require_case_no": true, "require_reason": true, "require_consent": true},
	"retention": {"query_log": 5, "consents": 5},
	"data_fields": {"allowed": six_fields},
	"storage": {"regions": ["TW"]},
	"transfer": {"destinations": ["TW"], "cross_border": false},
	"exports": {"encryption": {"enabled": true, "algorithm": "AES-256-GCM"}},
}

config(patch) := object.union(good_config, patch)

config_findings(doc, id) := {f | some f in query.config_findings with input as doc; f.requirement == id}

config_keys(doc, id) := {f.subject.key | some f in config_findings(doc, id)}

as_role(doc, role) := object.union(doc, {"institution": {"role": role}})

# ---------------------------------------------------------------------------------------------
# Everything compliant

test_purpose_01_compliant_documents_have_no_findings if {
	count(query.broker_denials) == 0 with input as good_broker
	count(query.state_findings) == 0 with input as state([good_record])
	count(query.config_findings) == 0 with input as good_config
}

# ---------------------------------------------------------------------------------------------
# PURPOSE-01

test_purpose_01_broker_other_purpose_denied if {
	ds := denials(req({"purpose": "marketing"}), "PURPOSE-01")
	count(ds) == 1
	some d in ds
	d.status == "violation"
	d.subject == {"institution": "bank-001", "request": "req-1"}
	d.evidence == {"purpose": "marketing", "allowed_purposes": ["credit"]}
	d.clause == "二(三), 三, 四(二)4"
	d.severity == "high"
	d.title == {"zh_TW": "查詢目的限授信業務", "en": "Query purpose is credit business"}
	contains(d.message.en, "marketing")
	contains(d.message.zh_TW, "marketing")
}

test_purpose_01_broker_credit_allowed if {
	count(denials(good_broker, "PURPOSE-01")) == 0
}

test_purpose_01_state_record_other_purpose if {
	fs := state_findings(state([rec({"id": "rec-2", "purpose": "collection"}), good_record]), "PURPOSE-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "record": "rec-2"}
	f.evidence.purpose == "collection"
}

test_purpose_01_state_record_without_purpose if {
	fs := state_findings(state([rec({"purpose": null})]), "PURPOSE-01")
	some f in fs
	f.evidence.purpose == null
}

test_purpose_01_config_other_purpose if {
	fs := config_findings(config({"query": {"purposes": ["credit", "marketing", "collection"]}}), "PURPOSE-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "key": "query.purposes"}
	f.evidence.not_allowed == ["collection", "marketing"]
}

test_purpose_01_config_applies_to_any_role if {
	doc := as_role(config({"query": {"purposes": ["marketing"]}}), "management_agency")
	config_keys(doc, "PURPOSE-01") == {"query.purposes"}
}

test_purpose_01_weaker_override_is_violation_and_ignored if {
	params := {"query.allowed_purposes": ["credit", "marketing"]}
	doc := with_params(req({"purpose": "marketing"}), params)
	count(denials(doc, "PURPOSE-01")) == 1
	st := with_params(state([good_record]), params)
	fs := state_findings(st, "PURPOSE-01")
	{f.subject | some f in fs} == {{"institution": "bank-001", "key": "parameters.query.allowed_purposes", "parameter": "query.allowed_purposes"}}
	cfg := object.union(good_config, {"parameters": params})
	config_keys(cfg, "PURPOSE-01") == {"parameters.query.allowed_purposes"}
}

# ---------------------------------------------------------------------------------------------
# MIN-01

test_min_01_broker_all_six_fields_allowed if {
	count(denials(req({"requested_fields": six_fields}), "MIN-01")) == 0
}

test_min_01_broker_extra_field_denied if {
	ds := denials(req({"requested_fields": ["name", "address", "medical_history", "address"]}), "MIN-01")
	count(ds) == 1
	some d in ds
	d.evidence.not_allowed == ["address", "medical_history"]
	d.evidence.allowed_fields == six_fields
}

test_min_01_state_record_extra_field if {
	fs := state_findings(state([rec({"fields": ["name", "home_address"]})]), "MIN-01")
	count(fs) == 1
	some f in fs
	f.subject.record == "rec-1"
	f.evidence.not_allowed == ["home_address"]
}

test_min_01_state_record_without_fields_is_compliant if {
	r := json.remove(good_record, ["fields"])
	count(state_findings(state([r]), "MIN-01")) == 0
}

test_min_01_config_extra_field if {
	config_keys(config({"data_fields": {"allowed": ["name", "phone"]}}), "MIN-01") == {"data_fields.allowed"}
	count(config_findings(config({"data_fields": {"allowed": ["name"]}}), "MIN-01")) == 0
}

test_min_01_stricter_override_narrows_the_fields if {
	doc := with_params(good_broker, {"data.allowed_fields": ["name", "national_id", "employer"]})
	some d in denials(doc, "MIN-01")
	d.evidence.not_allowed == ["insured_salary"]
}

test_min_01_weaker_override_is_violation if {
	params := {"data.allowed_fields": ["name", "address"]}
	fs := state_findings(with_params(state([good_record]), params), "MIN-01")
	{f.subject.key | some f in fs} == {"parameters.data.allowed_fields"}
	cfg := object.union(good_config, {"parameters": params})
	config_keys(cfg, "MIN-01") == {"parameters.data.allowed_fields"}
}

# ---------------------------------------------------------------------------------------------
# QUERY-01

query_01_problems_of(doc) := {p | some d in denials(doc, "QUERY-01"); some p in d.evidence.problems}

test_query_01_broker_complete_request_allowed if {
	count(denials(good_broker, "QUERY-01")) == 0
}

test_query_01_broker_missing_case_no_reason_staff if {
	query_01_problems_of(req({"case_no": null})) == {"case_no_missing"}
	query_01_problems_of(req({"reason": "  "})) == {"reason_missing"}
	query_01_problems_of(req({"staff_id": null})) == {"staff_missing"}
	ds := denials(req({"case_no": "", "reason": null}), "QUERY-01")
	count(ds) == 1
	some d in ds
	d.evidence.problems == ["case_no_missing", "reason_missing"]
	d.message.en == "Request req-1 does not meet the pre-query procedure (no case number, no reason); the request is denied."
}

test_query_01_broker_missing_date if {
	doc := json.remove(good_broker, ["request/requested_at"])
	query_01_problems_of(doc) == {"date_missing"}
}

test_query_01_broker_no_approval if {
	query_01_problems_of(broker({"approval": null})) == {"approval_missing"}
	query_01_problems_of(json.remove(good_broker, ["approval"])) == {"approval_missing"}
}

test_query_01_broker_approval_not_by_authorised_level if {
	query_01_problems_of(broker({"approval": {"level_ok": false}})) == {"level_not_authorised"}
	query_01_problems_of(broker({"approval": {"level_ok": null}})) == {"level_not_authorised"}
	query_01_problems_of(broker({"approval": {"approved_by": null}})) == {"approver_missing"}
}

test_query_01_broker_approval_at_request_instant_is_compliant if {
	count(denials(broker({"approval": {"approved_at": "2026-11-27T09:59:00+08:00"}}), "QUERY-01")) == 0
}

test_query_01_broker_approval_one_second_after_request if {
	query_01_problems_of(broker({"approval": {"approved_at": "2026-11-27T09:59:01+08:00"}})) == {"approved_after_query"}
}

test_query_01_broker_self_approval if {
	query_01_problems_of(broker({"approval": {"approved_by": "st-q01"}})) == {"self_approved"}
	query_01_problems_of(broker({"approval": {"approved_by": "acct-q01"}})) == {"self_approved"}
}

test_query_01_state_record_without_approval if {
	fs := state_findings(state([rec({"approval": null})]), "QUERY-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "record": "rec-1"}
	f.evidence.problems == ["approval_missing"]
}

test_query_01_state_record_approved_by_own_account if {
	some f in state_findings(state([rec({"approval": {"approved_by": "acct-q01"}})]), "QUERY-01")
	f.evidence.problems == ["self_approved"]
}

test_query_01_state_record_missing_case_no_and_time if {
	r := json.remove(rec({"case_no": null}), ["at"])
	some f in state_findings(state([r]), "QUERY-01")
	f.evidence.problems == ["case_no_missing", "date_missing"]
}

test_query_01_state_compliant_record if {
	count(state_findings(state([good_record]), "QUERY-01")) == 0
}

test_query_01_config_requirements_off if {
	doc := config({"query": {"require_reason": false}})
	config_keys(doc, "QUERY-01") == {"query.require_reason"}
	doc2 := json.remove(good_config, ["query/require_approval", "query/require_case_no"])
	config_keys(doc2, "QUERY-01") == {"query.require_approval", "query.require_case_no"}
}

test_query_01_config_only_for_user_units if {
	doc := as_role(json.remove(good_config, ["query"]), "management_agency")
	count(config_findings(doc, "QUERY-01")) == 0
}

# ---------------------------------------------------------------------------------------------
# QUERY-02

test_query_02_printed_other_case if {
	fs := state_findings(state([rec({"printed_other_case": true})]), "QUERY-02")
	count(fs) == 1
	some f in fs
	f.subject.record == "rec-1"
	f.evidence.printed_other_case == true
}

test_query_02_modified_data_and_other_case_one_finding if {
	fs := state_findings(state([rec({"printed_other_case": true, "modified_data": true})]), "QUERY-02")
	count(fs) == 1
	some f in fs
	f.message.en == "Query record rec-1 shows that the query staff queried or printed data of a case not approved and changed data."
}

test_query_02_flags_false_or_absent_are_compliant if {
	count(state_findings(state([good_record, json.remove(rec({"id": "rec-2"}), ["printed_other_case", "modified_data"])]), "QUERY-02")) == 0
	count(state_findings(state([rec({"modified_data": null})]), "QUERY-02")) == 0
}

# ---------------------------------------------------------------------------------------------
# XBORDER-01

test_xborder_01_broker_foreign_destination_denied if {
	ds := denials(req({"destination_country": "US"}), "XBORDER-01")
	count(ds) == 1
	some d in ds
	d.evidence == {"destination_country": "US", "allowed_countries": ["TW"]}
}

test_xborder_01_broker_taiwan_or_no_transfer_allowed if {
	count(denials(req({"destination_country": "tw"}), "XBORDER-01")) == 0
	count(denials(req({"destination_country": null}), "XBORDER-01")) == 0
	count(denials(json.remove(good_broker, ["request/destination_country"]), "XBORDER-01")) == 0
}

test_xborder_01_state_record_sent_abroad if {
	fs := state_findings(state([rec({"destination_country": "JP"})]), "XBORDER-01")
	{f.subject.record | some f in fs} == {"rec-1"}
}

test_xborder_01_config_regions_destinations_cross_border if {
	doc := config({"storage": {"regions": ["TW", "SG"]}, "transfer": {"destinations": ["US"], "cross_border": true}})
	config_keys(doc, "XBORDER-01") == {"storage.regions", "transfer.destinations", "transfer.cross_border"}
	some f in config_findings(doc, "XBORDER-01")
	f.subject.key == "storage.regions"
	f.evidence.not_allowed == ["SG"]
}

test_xborder_01_config_applies_to_management_agency if {
	doc := as_role(config({"storage": {"regions": ["JP"]}}), "management_agency")
	config_keys(doc, "XBORDER-01") == {"storage.regions"}
}

test_xborder_01_weaker_override_is_violation_and_ignored if {
	params := {"transfer.allowed_countries": ["TW", "JP"]}
	fs := state_findings(with_params(state([rec({"destination_country": "JP"})]), params), "XBORDER-01")
	{f.subject | some f in fs} == {
		{"institution": "bank-001", "record": "rec-1"},
		{"institution": "bank-001", "key": "parameters.transfer.allowed_countries", "parameter": "transfer.allowed_countries"},
	}
	config_keys(object.union(good_config, {"parameters": params}), "XBORDER-01") == {"parameters.transfer.allowed_countries"}
}

# ---------------------------------------------------------------------------------------------
# LOG-01

test_log_01_broker_missing_log_fields_denied if {
	doc := json.patch(req({"client_ip": null}), [{"op": "replace", "path": "/request/conditions", "value": {}}])
	ds := denials(doc, "LOG-01")
	count(ds) == 1
	some d in ds
	d.evidence.missing == ["client_ip", "conditions"]
	d.message.en == "Request req-1 lacks the query-log fields client_ip, conditions, so it cannot be logged; the request is denied."
}

test_log_01_broker_complete_request_allowed if {
	count(denials(good_broker, "LOG-01")) == 0
}

test_log_01_state_record_missing_fields if {
	r := json.remove(rec({"ip": "", "op_code": null}), ["reason"])
	fs := state_findings(state([r]), "LOG-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "record": "rec-1"}
	f.evidence.missing == ["ip", "op_code", "reason"]
}

test_log_01_state_deleted_at_exactly_five_years_is_compliant if {
	r := rec({"at": "2021-03-01T10:00:00+08:00", "approval": {"approved_at": "2021-03-01T09:00:00+08:00"}, "deleted_at": "2026-03-01T10:00:00+08:00"})
	count(state_findings(state([r]), "LOG-01")) == 0
}

test_log_01_state_deleted_one_second_before_five_years if {
	r := rec({"at": "2021-03-01T10:00:00+08:00", "approval": {"approved_at": "2021-03-01T09:00:00+08:00"}, "deleted_at": "2026-03-01T09:59:59+08:00"})
	fs := state_findings(state([r]), "LOG-01")
	count(fs) == 1
	some f in fs
	f.evidence.keep_until == "2026-03-01"
	f.evidence.retention_years == 5
}

test_log_01_state_leap_day_record_kept_to_first_of_march if {
	r := rec({"at": "2020-02-29T10:00:00+08:00", "approval": {"approved_at": "2020-02-29T09:00:00+08:00"}, "deleted_at": "2025-02-28T23:00:00+08:00"})
	some f in state_findings(state([r]), "LOG-01")
	f.evidence.keep_until == "2025-03-01"
	r2 := object.union(r, {"deleted_at": "2025-03-01T10:00:00+08:00"})
	count(state_findings(state([r2]), "LOG-01")) == 0
}

test_log_01_stricter_retention_override_applies if {
	r := rec({"at": "2019-01-10T10:00:00+08:00", "approval": {"approved_at": "2019-01-10T09:00:00+08:00"}, "deleted_at": "2025-01-10T10:00:00+08:00"})
	count(state_findings(state([r]), "LOG-01")) == 0
	some f in state_findings(with_params(state([r]), {"retention.years": 7}), "LOG-01")
	f.evidence.keep_until == "2026-01-10"
}

test_log_01_weaker_retention_override_is_violation if {
	fs := state_findings(with_params(state([good_record]), {"retention.years": 3}), "LOG-01")
	{f.subject.key | some f in fs} == {"parameters.retention.years"}
	cfg := object.union(good_config, {"parameters": {"retention.years": 3}})
	config_keys(cfg, "LOG-01") == {"parameters.retention.years"}
}

test_log_01_config_disabled_or_missing_fields if {
	doc := config({"query_log": {"enabled": false, "fields": ["account", "ip", "date", "time", "op_code", "conditions", "case_no"]}})
	config_keys(doc, "LOG-01") == {"query_log.enabled", "query_log.fields"}
	some f in config_findings(doc, "LOG-01")
	f.subject.key == "query_log.fields"
	f.evidence.missing == ["reason"]
}

test_log_01_config_no_fields_list if {
	doc := json.remove(good_config, ["query_log/fields"])
	some f in config_findings(doc, "LOG-01")
	f.evidence.missing == ["account", "ip", "date", "time", "op_code", "conditions", "case_no", "reason"]
}

test_log_01_config_short_retention if {
	config_keys(config({"retention": {"query_log": 3}}), "LOG-01") == {"retention.query_log"}
	config_keys(config({"query_log": {"retention_years": 4}}), "LOG-01") == {"query_log.retention_years"}
}

test_log_01_config_retention_either_key_is_enough if {
	count(config_findings(json.remove(good_config, ["retention/query_log"]), "LOG-01")) == 0
	count(config_findings(json.remove(good_config, ["query_log/retention_years"]), "LOG-01")) == 0
	config_keys(json.remove(good_config, ["retention/query_log", "query_log/retention_years"]), "LOG-01") == {"retention.query_log"}
}

test_log_01_config_only_for_user_units if {
	doc := as_role(json.remove(good_config, ["query_log", "retention"]), "management_agency")
	count(config_findings(doc, "LOG-01")) == 0
	count(config_findings(json.remove(good_config, ["query_log", "retention"]), "LOG-01")) == 3
}

# ---------------------------------------------------------------------------------------------
# LOG-02

test_log_02_broker_idle_exactly_timeout_allowed if {
	doc := broker({"session": {"last_activity_at": "2026-11-27T09:44:00+08:00"}})
	count(denials(doc, "LOG-02")) == 0
}

test_log_02_broker_idle_timeout_plus_one_second_denied if {
	doc := broker({"session": {"last_activity_at": "2026-11-27T09:43:59+08:00"}})
	ds := denials(doc, "LOG-02")
	count(ds) == 1
	some d in ds
	d.institution_defined == ["session.idle_timeout_minutes"]
	d.evidence == {"idle_seconds": 901, "idle_timeout_minutes": 15, "last_activity_at": "2026-11-27T09:43:59+08:00"}
	d.severity == "medium"
}

test_log_02_broker_session_start_when_no_activity if {
	doc := broker({"session": {"started_at": "2026-11-27T09:00:00+08:00", "last_activity_at": null}})
	some d in denials(doc, "LOG-02")
	d.evidence.idle_seconds == 3540
}

test_log_02_broker_institution_timeout_applies if {
	doc := with_params(broker({"session": {"last_activity_at": "2026-11-27T09:40:00+08:00"}}), {"session.idle_timeout_minutes": 30})
	count(denials(doc, "LOG-02")) == 0
	doc2 := with_params(doc, {"session.idle_timeout_minutes": 10})
	count(denials(doc2, "LOG-02")) == 1
}

test_log_02_broker_no_session_is_not_denied if {
	count(denials(json.remove(good_broker, ["session"]), "LOG-02")) == 0
}

test_log_02_config_auto_logout_and_timeout if {
	config_keys(config({"session": {"auto_logout": false}}), "LOG-02") == {"session.auto_logout"}
	config_keys(config({"session": {"idle_timeout_minutes": 0}}), "LOG-02") == {"session.idle_timeout_minutes"}
	config_keys(json.remove(good_config, ["session"]), "LOG-02") == {"session.auto_logout", "session.idle_timeout_minutes"}
	count(config_findings(config({"session": {"idle_timeout_minutes": 60}}), "LOG-02")) == 0
}

test_log_02_config_only_for_user_units if {
	count(config_findings(as_role(json.remove(good_config, ["session"]), "supervisor"), "LOG-02")) == 0
}

test_log_02_weaker_override_reported_if_the_parameter_had_a_direction if {
	params := object.union(data.bligate.params, {"session.idle_timeout_minutes": {"direction": "max", "institution_defined": false}})
	cfg := object.union(good_config, {"parameters": {"session.idle_timeout_minutes": 60}})
	config_keys(cfg, "LOG-02") == {"parameters.session.idle_timeout_minutes"} with data.bligate.params as params
	count(config_findings(cfg, "LOG-02")) == 0
}

# ---------------------------------------------------------------------------------------------
# LOG-03

test_log_03_state_attestation_in_force if {
	count(state_findings(state([]), "LOG-03")) == 0
}

test_log_03_state_no_attestation if {
	doc := {"as_of": as_of, "institution": inst}
	fs := state_findings(doc, "LOG-03")
	count(fs) == 1
	some f in fs
	f.status == "violation"
	f.subject == {"institution": "bank-001", "requirement": "LOG-03"}
}

test_log_03_state_expired_attestation if {
	doc := object.union(state([]), {"attestations": [object.union(log_03_attestation, {"valid_until": "2026-11-27T10:00:00+08:00"})]})
	some f in state_findings(doc, "LOG-03")
	f.status == "violation"
}

test_log_03_state_attestation_due_soon if {
	doc := object.union(state([]), {"attestations": [object.union(log_03_attestation, {"valid_until": "2026-12-20T00:00:00+08:00"})]})
	some f in state_findings(doc, "LOG-03")
	f.status == "due_soon"
}

test_log_03_state_only_for_user_units if {
	doc := {"as_of": as_of, "institution": object.union(inst, {"role": "management_agency"})}
	count(state_findings(doc, "LOG-03")) == 0
}

test_log_03_config_encryption if {
	config_keys(config({"exports": {"encryption": {"enabled": false}}}), "LOG-03") == {"exports.encryption.enabled"}
	config_keys(json.remove(good_config, ["exports"]), "LOG-03") == {"exports.encryption.enabled"}
	count(config_findings(good_config, "LOG-03")) == 0
}

# The blank helper treats null, blank text and empty objects and arrays as missing.
test_log_01_blank_values if {
	query.blank(null)
	query.blank(" ")
	query.blank({})
	query.blank([])
	not query.blank("x")
	not query.blank(false)
	not query.blank(0)
	not query.blank(["x"])
}

# ---------------------------------------------------------------------------------------------
# The screens against the rules' detailed checks
#
# The state rules check in detail only the records their screens leave suspect (record_clear
# for QUERY-01 and LOG-01, the batch's distinct values for the others). These tests pin the
# screens to the detailed checks: for records holding each problem, and odd values of every
# kind in every field the rules read, the findings are those the detailed checks give when
# every record goes through them (every screen's suspects replaced by all the records).

screened_findings(doc) := fs if {
	fs := query.state_findings with input as doc
}

detailed_findings(doc) := fs if {
	all := object.get(doc, "query_records", [])
	fs := query.state_findings with input as doc
		with data.bligate.areas.query.suspect_records as all
		with data.bligate.areas.query.purpose_01_suspects as all
		with data.bligate.areas.query.min_01_suspects as all
		with data.bligate.areas.query.query_02_suspects as all
		with data.bligate.areas.query.xborder_01_suspects as all
}

# Values of every kind: blank ones (null, text of white space, empty objects and arrays) and
# others (numbers, booleans, objects, arrays, text).
odd_values := [
	null, "", "   ", "\t\n", "\u00a0", "\u3000", {}, [],
	0, 7, -1.5, false, true, {"a": 1}, ["x"], "x y", " padded ",
]

# Further values per field (JSON pointer into the record), besides odd_values and absence.
field_values := {
	"/id": ["rec-2"],
	"/at": [
		"2026-11-20", "not a time", "2026-02-30T10:00:00+08:00", "2026-11-20T02:00:00Z",
		"2026-11-20T09:30:00+08:00", "2026-11-20T09:29:59+08:00", "2026-11-20T09:30:00.000000001+08:00",
		"2021-03-01T10:00:00+08:00",
	],
	"/account_id": ["acct-q02", "st-mgr"],
	"/staff_id": ["st-q02", "st-mgr"],
	"/ip": ["10.9.9.9"],
	"/op_code": ["BLI02"],
	"/conditions": [{"national_id": "A1"}],
	"/case_no": ["CASE-002"],
	"/reason": ["授信審核"],
	"/purpose": ["credit", "collection", " credit", "CREDIT"],
	"/consent_id": ["con-404"],
	"/approval": [
		{"level_ok": true}, {"approved_by": "st-mgr", "level_ok": true},
		{"approved_by": "st-mgr", "approved_at": "2026-11-20T09:30:00+08:00"},
		{"approved_by": "st-mgr", "approved_at": "2026-11-20T09:30:00+08:00", "level_ok": true, "note": "x"},
	],
	"/approval/approved_by": ["st-q01", "acct-q01", " st-mgr", "st-mgr2"],
	"/approval/approved_at": [
		"2026-11-20T10:00:00+08:00", "2026-11-20T10:00:01+08:00", "2026-11-20T10:00:00.000000001+08:00",
		"2026-11-20T02:00:00Z", "2026-11-20T02:00:01Z", "not a time", "2026-11-20",
	],
	"/approval/level_ok": ["true"],
	"/fields": [
		["name"], ["name", "home_address"], ["name", null], [1], ["NAME"],
		{"a": "name"}, {"a": "home_address"}, "name",
	],
	"/destination_country": ["TW", "tw", " TW ", "US", "jp", "TWN"],
	"/printed_other_case": ["true"],
	"/modified_data": ["true"],
	"/deleted_at": [
		"2026-11-21T00:00:00+08:00", "2031-11-20T10:00:00+08:00", "2031-11-20T09:59:59+08:00",
		"2031-11-20T02:00:00Z", "not a time",
	],
}

# A record of the compliant one with one field changed (or removed).
screen_cases contains {"name": sprintf("%s = %s", [p, json.marshal(v)]), "record": r} if {
	some p, extra in field_values
	some v in array.concat(odd_values, extra)
	r := json.patch(good_record, [{"op": "add", "path": p, "value": v}])
}

screen_cases contains {"name": sprintf("%s absent", [p]), "record": r} if {
	some p, _ in field_values
	r := json.patch(good_record, [{"op": "remove", "path": p}])
}

# Records with several problems at once, and a few that are no objects at all.
screen_cases contains {"name": "several problems", "record": r} if {
	r := rec({"case_no": " ", "purpose": null, "approval": {"approved_by": "st-q01", "level_ok": false}, "destination_country": "US", "modified_data": true})
}

screen_cases contains {"name": sprintf("record %s", [json.marshal(v)]), "record": v} if some v in ["rec-1", 7, null, [], ["rec-1"]]

test_screen_clears_the_compliant_record if {
	query.record_clear(good_record)
	doc := state([good_record, rec({"id": "rec-2", "destination_country": null, "fields": []})])
	suspects := [
		query.suspect_records, query.purpose_01_suspects, query.min_01_suspects,
		query.query_02_suspects, query.xborder_01_suspects,
	] with input as doc
	suspects == [[], [], [], [], []]
}

# The screens clear compliant records of other shapes too (else they cost the detailed checks).
test_screen_clears_compliant_variants if {
	variants := array.concat([json.remove(good_record, ["printed_other_case", "modified_data", "destination_country", "fields"])], [rec(p) |
		some p in [
			{"destination_country": null},
			{"destination_country": "tw"},
			{"approval": {"approved_at": "2026-11-20T10:00:00+08:00"}},
			{"approval": {"approved_at": null}},
			{"approval": {"approved_at": "2026-11-20T02:00:00Z"}},
			{"at": "2026-11-20T02:00:00Z"},
			{"fields": []},
			{"fields": six_fields},
			{"printed_other_case": null, "modified_data": null},
			{"reason": "授信審核 "},
			{"deleted_at": false},
		]
	])
	every r in variants {
		suspects := [
			query.suspect_records, query.purpose_01_suspects, query.min_01_suspects,
			query.query_02_suspects, query.xborder_01_suspects,
		] with input as state([r])
		suspects == [[], [], [], [], []]
	}
}

# The heart of it: whatever a record holds, the screen changes no finding.
test_screen_gives_the_findings_of_the_detailed_checks if {
	mismatched := {c.name |
		some c in screen_cases
		doc := state([c.record])
		screened_findings(doc) != detailed_findings(doc)
	}
	mismatched == set()
}

# The same with every case in one batch (positions of many records, one of them compliant).
test_screen_gives_the_findings_of_the_detailed_checks_in_one_batch if {
	doc := state(array.concat([good_record], [c.record | some c in screen_cases]))
	fs := screened_findings(doc)
	fs == detailed_findings(doc)
	count(fs) > 100
}

# And under other allow-lists: a narrower field list, no purpose or country allowed at all,
# and (plan data changed) allowed countries written in a way foreign() does not normalise to.
test_screen_follows_the_allow_lists if {
	docs := [
		with_params(state([good_record]), {"data.allowed_fields": ["name", "national_id"]}),
		with_params(state([good_record]), {"query.allowed_purposes": [], "transfer.allowed_countries": []}),
	]
	every doc in docs {
		fs := screened_findings(doc)
		fs == detailed_findings(doc)
		count({f | some f in fs; f.subject.record == "rec-1"}) > 0
	}
	params := object.union(data.bligate.params, {"transfer.allowed_countries": {"value": ["tw", " TW"]}})
	doc := state([rec({"destination_country": "tw"}), rec({"id": "rec-2", "destination_country": " TW"})])
	fs := screened_findings(doc) with data.bligate.params as params
	fs == detailed_findings(doc) with data.bligate.params as params
	{f.subject.record | some f in fs; f.requirement == "XBORDER-01"} == {"rec-1", "rec-2"}
}

# What the detailed checks make of some of the odd values (the screen passes them on).
screen_case_findings(name) := {[f.requirement, object.get(f.evidence, "problems", object.get(f.evidence, "missing", null))] |
	some c in screen_cases
	c.name == name
	some f in screened_findings(state([c.record]))
}

test_screen_blank_text_is_missing if {
	screen_case_findings("/case_no = \"   \"") == {["QUERY-01", ["case_no_missing"]], ["LOG-01", ["case_no"]]}
	screen_case_findings("/reason = \"\u3000\"") == {["QUERY-01", ["reason_missing"]], ["LOG-01", ["reason"]]}
	screen_case_findings("/staff_id = \"\u00a0\"") == {["QUERY-01", ["staff_missing"]]}
	screen_case_findings("/ip = \"\\t\\n\"") == {["LOG-01", ["ip"]]}
	screen_case_findings("/op_code = []") == {["LOG-01", ["op_code"]]}
	screen_case_findings("/account_id = {}") == {["LOG-01", ["account_id"]]}
	screen_case_findings("/conditions = {}") == {["LOG-01", ["conditions"]]}
}

test_screen_absent_and_null_are_missing if {
	screen_case_findings("/case_no absent") == {["QUERY-01", ["case_no_missing"]], ["LOG-01", ["case_no"]]}
	screen_case_findings("/case_no = null") == screen_case_findings("/case_no absent")
	screen_case_findings("/at absent") == {["QUERY-01", ["date_missing"]], ["LOG-01", ["at"]]}
	screen_case_findings("/approval absent") == {["QUERY-01", ["approval_missing"]]}
	screen_case_findings("/approval = null") == {["QUERY-01", ["approval_missing"]]}
	screen_case_findings("/approval/approved_by absent") == {["QUERY-01", ["approver_missing"]]}
	screen_case_findings("/approval/level_ok absent") == {["QUERY-01", ["level_not_authorised"]]}
}

test_screen_other_kinds_of_values_are_not_missing if {
	screen_case_findings("/case_no = 7") == set()
	screen_case_findings("/reason = false") == set()
	screen_case_findings("/conditions = [\"x\"]") == set()
	screen_case_findings("/conditions = \"x y\"") == set()
	screen_case_findings("/approval/approved_by = 0") == set()
	screen_case_findings("/approval/approved_at = 7") == set()
	screen_case_findings("/fields = \"name\"") == set()
	screen_case_findings("/destination_country = 7") == set()
	screen_case_findings("/printed_other_case = true") == {["QUERY-02", null]}
	screen_case_findings("/printed_other_case = \"true\"") == set()
}

test_screen_times_that_do_not_parse if {
	screen_case_findings("/at = \"not a time\"") == {["QUERY-01", ["date_missing"]]}
	screen_case_findings("/at = \"2026-02-30T10:00:00+08:00\"") == {["QUERY-01", ["date_missing"]]}
	screen_case_findings("/approval/approved_at = \"not a time\"") == set()
	screen_case_findings("/deleted_at = \"not a time\"") == set()
}

test_screen_approval_problems if {
	screen_case_findings("/approval = {\"level_ok\":true}") == {["QUERY-01", ["approver_missing"]]}
	screen_case_findings("/approval/approved_by = \"st-q01\"") == {["QUERY-01", ["self_approved"]]}
	screen_case_findings("/approval/approved_by = \"acct-q01\"") == {["QUERY-01", ["self_approved"]]}
	screen_case_findings("/approval/approved_at = \"2026-11-20T10:00:00.000000001+08:00\"") == {["QUERY-01", ["approved_after_query"]]}
	screen_case_findings("/approval/approved_at = \"2026-11-20T02:00:01Z\"") == {["QUERY-01", ["approved_after_query"]]}
	screen_case_findings("/approval/approved_at = \"2026-11-20T02:00:00Z\"") == set()
	screen_case_findings("/approval/level_ok = \"true\"") == {["QUERY-01", ["level_not_authorised"]]}
}

test_screen_deletion_within_five_years if {
	screen_case_findings("/deleted_at = \"2031-11-20T09:59:59+08:00\"") == {["LOG-01", null]}
	screen_case_findings("/deleted_at = \"2031-11-20T02:00:00Z\"") == set()
}
