# METADATA
# description: Tests of the entry points (config, state, broker) and of the shared library.
package bligate.entry_test

import data.bligate.broker
import data.bligate.config
import data.bligate.lib
import data.bligate.state

as_of := "2026-11-27T10:00:00+08:00"

inst := {"id": "bank-001", "name": "Demo Bank", "role": "user_unit", "batch_server": true}

# A request the broker allows: designated staff, own enabled account, approved consent,
# approval, credit purpose, allowed fields, domestic destination, live session.
good := {
	"as_of": as_of,
	"institution": inst,
	"request": {
		"id": "req-1", "account_id": "acct-1", "staff_id": "st-1", "purpose": "credit",
		"case_no": "CASE-1", "reason": "房貸徵審", "requested_at": "2026-11-27T09:59:00+08:00",
		"op_code": "BLI01", "conditions": {"national_id": "A123456789"}, "consent_id": "con-1",
		"requested_fields": ["name", "employer", "insured_salary"], "destination_country": "TW",
		"client_ip": "10.1.2.3",
	},
	"account": {
		"id": "acct-1", "staff_id": "st-1", "kind": "query", "enabled": true, "locked": false,
		"shared": false, "password_set_at": "2026-11-01T09:00:00+08:00", "can_login": true,
	},
	"staff": {"id": "st-1", "designated": true, "roles": ["query"]},
	"approval": {"approved_by": "st-mgr", "approved_at": "2026-11-27T09:50:00+08:00", "level_ok": true},
	"consent": {
		"id": "con-1", "channel": "electronic", "consented_on": "2026-11-20",
		"jcic_registered_at": "2026-11-20T10:00:00+08:00", "jcic_approved_at": "2026-11-21T10:00:00+08:00",
		"source_ip": "203.0.113.9", "text_version": "v3", "identity_verified": true,
	},
	"session": {"started_at": "2026-11-27T09:00:00+08:00", "last_activity_at": "2026-11-27T09:55:00+08:00"},
}

test_broker_allows_a_conforming_request if {
	d := broker.decision with input as good
	d.allow == true
	d.denials == []
	d.requirements == []
}

test_broker_denies_with_the_requirements_that_denied if {
	bad := object.union(good, {"request": {"purpose": "marketing", "destination_country": "US"}})
	d := broker.decision with input as bad
	d.allow == false
	d.requirements == ["PURPOSE-01", "XBORDER-01"]
	every x in d.denials {
		x.status == "violation"
		x.message.zh_TW != ""
		x.message.en != ""
	}
}

test_broker_denies_without_consent if {
	bad := object.remove(good, ["consent"])
	d := broker.decision with input as bad
	"CONSENT-01" in d.requirements
}

test_state_entry_gathers_every_area if {
	doc := {
		"as_of": as_of,
		"institution": inst,
		"query_months": [{"month": "2026-09", "records": 612}],
		"monthly_samples": [],
		"query_records": [{"id": "r1", "at": "2026-11-01T10:00:00+08:00", "purpose": "marketing"}],
	}
	reqs := {f.requirement | some f in state.findings with input as doc}
	"SAMPLE-01" in reqs
	"PURPOSE-01" in reqs
	vs := state.violations with input as doc
	every f in vs {
		f.status == "violation"
	}
}

test_config_entry_gathers_every_area if {
	doc := {"institution": inst, "password": {"min_length": 6}}
	fs := config.findings with input as doc
	some f in fs
	f.requirement == "PWD-01"
	f.subject.key == "password.min_length"
	count(config.violations) > 0 with input as doc
}

# ---- lib -------------------------------------------------------------------------------------

test_lib_taipei_calendar if {
	# 31 December 15:59:59Z is still 31 December in Taipei; 16:00Z is 1 January.
	lib.date_of(time.parse_rfc3339_ns("2026-12-31T15:59:59Z")) == "2026-12-31"
	lib.date_of(time.parse_rfc3339_ns("2026-12-31T16:00:00Z")) == "2027-01-01"
	lib.month_of(time.parse_rfc3339_ns("2026-09-30T16:00:00Z")) == "2026-10"
	lib.half_of(time.parse_rfc3339_ns("2026-06-30T16:00:00Z")) == "2026-H2"
	lib.half_of(time.parse_rfc3339_ns("2026-06-30T15:59:59Z")) == "2026-H1"
	lib.year_of(time.parse_rfc3339_ns("2026-12-31T16:00:00Z")) == 2027
}

test_lib_period_bounds if {
	lib.month_end_ns("2026-12") == lib.ymd_ns(2027, 1, 1)
	lib.month_end_ns("2026-09") == lib.ymd_ns(2026, 10, 1)
	lib.month_start_ns("2026-02") == lib.date_ns("2026-02-01")
	lib.next_month("2026-12") == "2027-01"
	lib.month_plus_ns("2026-11", 2) == lib.ymd_ns(2027, 1, 1)
	lib.half_start_ns("2026-H2") == lib.ymd_ns(2026, 7, 1)
	lib.half_end_ns("2026-H1") == lib.ymd_ns(2026, 7, 1)
	lib.half_end_ns("2026-H2") == lib.ymd_ns(2027, 1, 1)
	lib.year_end_ns(2026) == lib.ymd_ns(2027, 1, 1)
}

test_lib_iso_weeks if {
	lib.week_of(lib.date_ns("2026-01-01")) == "2026-W01"
	lib.week_of(lib.date_ns("2027-01-01")) == "2026-W53"
	lib.week_of(lib.date_ns("2021-01-03")) == "2020-W53"
	lib.week_start_ns("2026-W53") == lib.date_ns("2026-12-28")
	lib.week_end_ns("2026-W01") == lib.date_ns("2026-01-05")
}

test_lib_retention_and_due_soon if {
	start := lib.date_ns("2021-11-27")
	lib.retention_end_ns(start) == lib.date_ns("2026-11-27")
	lib.deleted_early(start, lib.date_ns("2026-11-26"))
	not lib.deleted_early(start, lib.date_ns("2026-11-27"))
	lib.due_soon(lib.date_ns("2026-12-20")) with input as {"as_of": as_of}
	not lib.due_soon(lib.date_ns("2027-02-20")) with input as {"as_of": as_of}
	not lib.due_soon(lib.date_ns("2026-11-01")) with input as {"as_of": as_of}
}

test_lib_parameters_stricter_only if {
	lib.param("password.min_length") == 12 with input as {"parameters": {"password.min_length": 12}}
	lib.param("password.min_length") == 8 with input as {"parameters": {"password.min_length": 6}}
	lib.weaker_overrides == {"password.min_length"} with input as {"parameters": {"password.min_length": 6}}
	lib.param("password.max_age_days") == 60 with input as {"parameters": {"password.max_age_days": 60}}
	lib.param("password.max_age_days") == 90 with input as {"parameters": {"password.max_age_days": 120}}
	lib.param("password.classes") == ["digit", "upper", "lower", "special", "unicode"] with input as {"parameters": {"password.classes": ["digit", "upper", "lower", "special", "unicode"]}}
	lib.param("password.classes") == ["digit", "upper", "lower", "special"] with input as {"parameters": {"password.classes": ["digit"]}}
	lib.param("transfer.allowed_countries") == [] with input as {"parameters": {"transfer.allowed_countries": []}}
	lib.param("transfer.allowed_countries") == ["TW"] with input as {"parameters": {"transfer.allowed_countries": ["TW", "JP"]}}
	lib.param("lockout.max_failed_attempts") == 3 with input as {"institution": {"parameters": {"lockout.max_failed_attempts": 3}}}
	lib.unknown_overrides == {"no.such.parameter"} with input as {"parameters": {"no.such.parameter": 1}}
	lib.weaker_overrides_for("PWD-01") == {"password.min_length"} with input as {"parameters": {"password.min_length": 6}}
}

test_lib_ceil_exact if {
	lib.ceil_exact(500 * 0.02) == 10
	lib.ceil_exact(501 * 0.02) == 11
	lib.ceil_exact(12.24) == 13
}

test_lib_attestations if {
	doc := {"as_of": as_of, "institution": inst, "attestations": []}
	fs := lib.attestation_findings([{"annotations": {"title": "t", "custom": {"requirement": "RULES-01", "clause": "七(一)", "severity": "low", "title_zh": "t"}}}], "RULES-01") with input as doc
	count(fs) == 1
	some f in fs
	f.status == "violation"
	f.evidence.latest_valid_until == null
}
