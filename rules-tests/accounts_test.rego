package bligate.areas.accounts_test

import data.bligate.areas.accounts

# ---------------------------------------------------------------------------------------------
# Documents

institution := {"id": "bank-001", "name": "Demo Bank", "role": "user_unit", "batch_server": true}

# A state document as of 2026-11-27 10:00 (Taipei) of a batch/server user unit.
state(extra) := object.union({"as_of": "2026-11-27T10:00:00+08:00", "institution": institution}, extra)

# The same as of another instant.
state_at(as_of, extra) := object.union(state(extra), {"as_of": as_of})

# A designated query staff member with a complete register entry.
staff(id) := {
	"id": id, "name": sprintf("Staff %s", [id]), "title": "授信專員", "id_number": "A123456789",
	"roles": ["query"], "designated": true,
	"designation_approved_by": "head-1", "designation_approved_at": "2025-01-05T09:00:00+08:00",
	"duty_from": "2025-01-06",
}

# A compliant, enabled query account of the staff member.
account(id, staff_id) := {
	"id": id, "staff_id": staff_id, "kind": "query", "shared": false, "enabled": true,
	"created_at": "2025-01-06T09:00:00+08:00", "password_set_at": "2026-11-01T09:00:00+08:00",
	"password_reused_recent": false, "password_complexity_ok": true, "password_length": 12,
	"failed_attempts": 0, "locked": false,
}

grant(account_id) := {"id": sprintf("g-%s", [account_id]), "account_id": account_id, "changed_at": "2025-01-06T09:00:00+08:00", "change": "grant", "approved_by": "head-1"}

review(id, at) := {"id": id, "performed_at": at, "reviewer": "rev-1"}

# Reviews satisfying REVIEW-01 for 2025 and 2026.
good_reviews := [
	review("r1", "2025-03-15T10:00:00+08:00"),
	review("r2", "2025-09-15T10:00:00+08:00"),
	review("r3", "2026-03-15T10:00:00+08:00"),
	review("r4", "2026-09-15T10:00:00+08:00"),
]

# A compliant user unit: one query staff member with one account.
compliant := state({
	"staff": [staff("s1")],
	"accounts": [account("a1", "s1")],
	"authorisation_changes": [grant("a1")],
	"access_reviews": good_reviews,
})

# A compliant document with the given account replacing a1.
with_account(a) := object.union(compliant, {"accounts": [a], "authorisation_changes": [grant(a.id)]})

# A compliant document with the given staff members (and their accounts).
with_staff(ss, accts) := object.union(compliant, {
	"staff": ss, "accounts": accts,
	"authorisation_changes": [grant(a.id) | some a in accts],
})

findings(doc, req) := {f | some f in accounts.state_findings with input as doc; f.requirement == req}

violations(doc, req) := {f | some f in findings(doc, req); f.status == "violation"}

config_findings(doc, req) := {f | some f in accounts.config_findings with input as doc; f.requirement == req}

denials(doc) := {d | some d in accounts.broker_denials with input as doc}

denied_by(doc) := {d.requirement | some d in denials(doc)}

# ---------------------------------------------------------------------------------------------
# The compliant document

test_compliant_document_has_no_findings if {
	count(accounts.state_findings) == 0 with input as compliant
}

test_day_after_is_next_taipei_midnight if {
	accounts.day_after_ns("2026-10-15") == time.parse_rfc3339_ns("2026-10-15T16:00:00Z")
}

# ---------------------------------------------------------------------------------------------
# STAFF-01

test_staff_01_undesignated_enabled_account_is_violation if {
	s := object.union(staff("s1"), {"designated": false})
	fs := violations(with_staff([s], [account("a1", "s1")]), "STAFF-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "account": "a1", "staff": "s1"}
	f.evidence.designated == false
	f.clause == "五(一)1"
}

test_staff_01_designated_is_compliant if {
	count(findings(compliant, "STAFF-01")) == 0
}

test_staff_01_undesignated_disabled_account_is_compliant if {
	s := object.union(staff("s1"), {"designated": false})
	a := object.union(account("a1", "s1"), {"enabled": false})
	count(findings(with_staff([s], [a]), "STAFF-01")) == 0
}

test_staff_01_unknown_staff_is_violation if {
	some f in findings(with_account(account("a1", "nobody")), "STAFF-01")
	f.evidence.designated == null
}

# ---------------------------------------------------------------------------------------------
# STAFF-02

test_staff_02_missing_fields_is_violation if {
	s := object.remove(staff("s1"), ["title", "id_number"])
	fs := violations(with_staff([s], [account("a1", "s1")]), "STAFF-02")
	count(fs) == 1
	some f in fs
	f.evidence.missing == ["title", "id_number"]
}

test_staff_02_missing_approval_is_violation if {
	s := object.union(staff("s1"), {"designation_approved_by": null})
	some f in violations(with_staff([s], [account("a1", "s1")]), "STAFF-02")
	f.evidence.missing == ["designation_approved_by"]
}

test_staff_02_left_without_duty_end_is_violation if {
	s := object.union(staff("s1"), {"left_on": "2026-10-15"})
	a := object.union(account("a1", "s1"), {"enabled": false, "disabled_at": "2026-10-15T17:00:00+08:00"})
	some f in violations(with_staff([s], [a]), "STAFF-02")
	f.evidence.missing == ["duty_to"]
}

test_staff_02_duty_end_needed_only_after_leaving if {
	s := object.union(staff("s1"), {"left_on": "2026-12-10"})
	count(findings(with_staff([s], [account("a1", "s1")]), "STAFF-02")) == 0
}

test_staff_02_complete_register_is_compliant if {
	s := object.union(staff("s1"), {"left_on": "2026-10-15", "duty_to": "2026-10-15"})
	a := object.union(account("a1", "s1"), {"enabled": false, "disabled_at": "2026-10-15T17:00:00+08:00"})
	count(findings(with_staff([s], [a]), "STAFF-02")) == 0
}

test_staff_02_only_user_units_keep_the_register if {
	s := object.remove(staff("s1"), ["title"])
	doc := object.union(with_staff([s], [account("a1", "s1")]), {"institution": object.union(institution, {"role": "management_agency"})})
	count(findings(doc, "STAFF-02")) == 0
}

test_staff_02_register_deleted_before_five_years_is_violation if {
	s := object.union(staff("s1"), {"duty_to": "2021-11-27", "left_on": "2021-11-27", "register_deleted_at": "2026-11-26T23:59:59+08:00"})
	fs := violations(with_staff([s], []), "STAFF-02")
	count(fs) == 1
	some f in fs
	f.evidence.duty_end == "2021-11-27"
}

test_staff_02_register_deleted_after_five_years_is_compliant if {
	s := object.union(staff("s1"), {"duty_to": "2021-11-27", "left_on": "2021-11-27", "register_deleted_at": "2026-11-27T00:00:00+08:00"})
	count(findings(with_staff([s], []), "STAFF-02")) == 0
}

test_staff_02_register_deleted_while_on_duty_is_violation if {
	s := object.union(staff("s1"), {"register_deleted_at": "2026-11-01T00:00:00+08:00"})
	some f in violations(with_staff([s], [account("a1", "s1")]), "STAFF-02")
	f.evidence.duty_end == null
}

# ---------------------------------------------------------------------------------------------
# STAFF-03

test_staff_03_account_without_grant_is_violation if {
	doc := object.union(compliant, {"authorisation_changes": []})
	fs := violations(doc, "STAFF-03")
	count(fs) == 1
	some f in fs
	f.subject.account == "a1"
}

test_staff_03_account_with_grant_is_compliant if {
	count(findings(compliant, "STAFF-03")) == 0
}

test_staff_03_only_batch_units_need_the_log if {
	doc := object.union(compliant, {"authorisation_changes": [], "institution": object.union(institution, {"batch_server": false})})
	count(findings(doc, "STAFF-03")) == 0
}

test_staff_03_change_deleted_before_five_years_is_violation if {
	g := object.union(grant("a1"), {"deleted_at": "2030-01-06T08:59:59+08:00"})
	some f in violations(object.union(compliant, {"authorisation_changes": [g]}), "STAFF-03")
	f.subject == {"institution": "bank-001", "account": "a1", "record": "g-a1"}
}

test_staff_03_change_deleted_after_five_years_is_compliant if {
	g := object.union(grant("a1"), {"deleted_at": "2030-01-06T09:00:00+08:00"})
	count(findings(object.union(compliant, {"authorisation_changes": [g]}), "STAFF-03")) == 0
}

# ---------------------------------------------------------------------------------------------
# SOD-01

card(id, card_by, pin_by) := {"id": id, "card_custodian": card_by, "pin_custodian": pin_by, "pin_changed_at": "2026-03-05T10:00:00+08:00", "last_staff_change_at": "2026-03-01T09:00:00+08:00"}

test_sod_01_card_and_pin_same_custodian_is_violation if {
	fs := violations(object.union(compliant, {"chip_cards": [card("c1", "k1", "k1")]}), "SOD-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "card": "c1", "staff": "k1"}
}

test_sod_01_different_custodians_is_compliant if {
	count(findings(object.union(compliant, {"chip_cards": [card("c1", "k1", "k2")]}), "SOD-01")) == 0
}

test_sod_01_query_and_sampling_roles_is_violation if {
	s := object.union(staff("s1"), {"roles": ["query", "sampling"]})
	some f in violations(with_staff([s], [account("a1", "s1")]), "SOD-01")
	f.subject.staff == "s1"
}

test_sod_01_query_and_review_roles_is_left_to_sample_01 if {
	s := object.union(staff("s1"), {"roles": ["query", "review"]})
	count(findings(with_staff([s], [account("a1", "s1")]), "SOD-01")) == 0
}

# ---------------------------------------------------------------------------------------------
# PWD-01

config(extra) := object.union({"institution": institution}, extra)

good_password := {"min_length": 12, "require_classes": ["digit", "upper", "lower", "special"], "max_age_days": 90, "history": 3}

good_lockout := {"max_failed_attempts": 5, "unlock_procedure": "admin_reset_with_identity_check"}

good_config := config({"password": good_password, "lockout": good_lockout})

test_config_compliant_has_no_findings if {
	count(accounts.config_findings) == 0 with input as good_config
}

test_pwd_01_config_min_length_7_is_violation if {
	fs := config_findings(config({"password": object.union(good_password, {"min_length": 7}), "lockout": good_lockout}), "PWD-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "key": "password.min_length"}
	f.evidence == {"min_length": 7, "required": 8}
}

test_pwd_01_config_min_length_8_is_compliant if {
	count(config_findings(config({"password": object.union(good_password, {"min_length": 8}), "lockout": good_lockout}), "PWD-01")) == 0
}

test_pwd_01_config_missing_classes_is_violation if {
	fs := config_findings(config({"password": object.union(good_password, {"require_classes": ["digit", "lower"]}), "lockout": good_lockout}), "PWD-01")
	some f in fs
	f.subject.key == "password.require_classes"
	f.evidence.missing == ["upper", "special"]
}

test_pwd_01_config_missing_password_section_is_violation if {
	fs := config_findings(config({"lockout": good_lockout}), "PWD-01")
	{f.subject.key | some f in fs} == {"password.min_length", "password.require_classes"}
}

test_pwd_01_config_only_batch_units if {
	doc := config({"institution": object.union(institution, {"batch_server": false}), "lockout": good_lockout})
	count(config_findings(doc, "PWD-01")) == 0
}

test_pwd_01_config_weaker_override_is_violation_and_ignored if {
	doc := object.union(good_config, {"parameters": {"password.min_length": 6}, "password": object.union(good_password, {"min_length": 7})})
	fs := config_findings(doc, "PWD-01")
	{f.subject.key | some f in fs} == {"parameters.password.min_length", "password.min_length"}
}

test_pwd_01_config_stricter_override_applies if {
	doc := object.union(good_config, {"parameters": {"password.min_length": 14}})
	some f in config_findings(doc, "PWD-01")
	f.evidence == {"min_length": 12, "required": 14}
}

test_pwd_01_state_complexity_not_met_is_violation if {
	some f in violations(with_account(object.union(account("a1", "s1"), {"password_complexity_ok": false})), "PWD-01")
	f.subject.account == "a1"
}

test_pwd_01_state_short_password_is_violation if {
	some f in violations(with_account(object.union(account("a1", "s1"), {"password_length": 7})), "PWD-01")
	f.evidence == {"account": "a1", "password_length": 7, "min_length": 8}
}

test_pwd_01_state_8_characters_is_compliant if {
	count(findings(with_account(object.union(account("a1", "s1"), {"password_length": 8})), "PWD-01")) == 0
}

test_pwd_01_state_disabled_account_is_ignored if {
	a := object.union(account("a1", "s1"), {"password_length": 7, "enabled": false})
	count(findings(with_account(a), "PWD-01")) == 0
}

test_pwd_01_state_weaker_override if {
	doc := object.union(compliant, {"institution": object.union(institution, {"parameters": {"password.classes": ["digit"]}})})
	some f in findings(doc, "PWD-01")
	f.subject.parameter == "password.classes"
}

# ---------------------------------------------------------------------------------------------
# PWD-02

pwd_at(at) := with_account(object.union(account("a1", "s1"), {"password_set_at": at}))

test_pwd_02_password_older_than_90_days_is_violation if {
	# set 2026-08-29 09:59:59: 90 days later is 2026-11-27 09:59:59, before as_of
	fs := violations(pwd_at("2026-08-29T09:59:59+08:00"), "PWD-02")
	count(fs) == 1
	some f in fs
	f.evidence == {"account": "a1", "password_set_at": "2026-08-29T09:59:59+08:00", "expires_at": "2026-11-27T09:59:59+08:00", "age_days": 90, "max_age_days": 90}
}

test_pwd_02_password_exactly_90_days_is_not_expired if {
	fs := findings(pwd_at("2026-08-29T10:00:00+08:00"), "PWD-02")
	count(fs) == 1
	some f in fs
	f.status == "due_soon"
}

test_pwd_02_due_soon_within_window if {
	some f in findings(pwd_at("2026-09-15T10:00:00+08:00"), "PWD-02")
	f.status == "due_soon"
	f.evidence.expires_at == "2026-12-14T10:00:00+08:00"
}

test_pwd_02_recent_password_is_compliant if {
	count(findings(pwd_at("2026-11-01T09:00:00+08:00"), "PWD-02")) == 0
}

test_pwd_02_locked_account_is_ignored if {
	a := object.union(account("a1", "s1"), {"password_set_at": "2026-01-01T00:00:00+08:00", "locked": true})
	count(findings(with_account(a), "PWD-02")) == 0
}

test_pwd_02_can_login_decides_when_given if {
	a := object.union(account("a1", "s1"), {"password_set_at": "2026-01-01T00:00:00+08:00", "enabled": false, "can_login": true})
	count(violations(with_account(a), "PWD-02")) == 1
	b := object.union(a, {"enabled": true, "can_login": false})
	count(findings(with_account(b), "PWD-02")) == 0
}

test_pwd_02_creation_counts_when_never_changed if {
	a := object.union(object.remove(account("a1", "s1"), ["password_set_at"]), {"created_at": "2026-01-01T00:00:00+08:00"})
	some f in violations(with_account(a), "PWD-02")
	f.evidence.password_set_at == "2026-01-01T00:00:00+08:00"
}

test_pwd_02_unknown_password_age_is_violation if {
	a := object.remove(account("a1", "s1"), ["password_set_at", "created_at"])
	some f in violations(with_account(a), "PWD-02")
	f.evidence.password_set_at == null
}

test_pwd_02_only_batch_units if {
	doc := object.union(pwd_at("2026-01-01T00:00:00+08:00"), {"institution": object.union(institution, {"batch_server": false})})
	count(findings(doc, "PWD-02")) == 0
}

test_pwd_02_config_max_age if {
	count(config_findings(config({"password": object.union(good_password, {"max_age_days": 60})}), "PWD-02")) == 0
	some f in config_findings(config({"password": object.union(good_password, {"max_age_days": 91})}), "PWD-02")
	f.evidence == {"max_age_days": 91, "required": 90}
	count(config_findings(config({"password": object.union(good_password, {"max_age_days": 0})}), "PWD-02")) == 1
	count(config_findings(config({"password": object.remove(good_password, ["max_age_days"])}), "PWD-02")) == 1
}

test_pwd_02_weaker_override_is_violation_and_ignored if {
	doc := object.union(pwd_at("2026-08-01T00:00:00+08:00"), {"institution": object.union(institution, {"parameters": {"password.max_age_days": 180}})})
	fs := findings(doc, "PWD-02")
	count(fs) == 2
	some f in fs
	f.subject.parameter == "password.max_age_days"
	some g in fs
	g.evidence.max_age_days == 90
	cfs := config_findings(object.union(good_config, {"parameters": {"password.max_age_days": 180}}), "PWD-02")
	count(cfs) == 1
}

test_pwd_02_stricter_override_applies if {
	doc := object.union(pwd_at("2026-09-15T10:00:00+08:00"), {"institution": object.union(institution, {"parameters": {"password.max_age_days": 60}})})
	some f in violations(doc, "PWD-02")
	f.evidence.max_age_days == 60
}

# ---------------------------------------------------------------------------------------------
# PWD-03

test_pwd_03_config_history if {
	count(config_findings(good_config, "PWD-03")) == 0
	some f in config_findings(config({"password": object.union(good_password, {"history": 2})}), "PWD-03")
	f.subject.key == "password.history"
	f.evidence == {"history": 2, "required": 3}
	some g in config_findings(object.union(good_config, {"parameters": {"password.history": 1}}), "PWD-03")
	g.subject.key == "parameters.password.history"
}

test_pwd_03_state_reused_password_is_violation if {
	some f in violations(with_account(object.union(account("a1", "s1"), {"password_reused_recent": true})), "PWD-03")
	f.subject.account == "a1"
	f.evidence.history == 3
}

test_pwd_03_state_new_password_is_compliant if {
	count(findings(compliant, "PWD-03")) == 0
}

test_pwd_03_state_weaker_override if {
	doc := object.union(compliant, {"institution": object.union(institution, {"parameters": {"password.history": 2}})})
	count(findings(doc, "PWD-03")) == 1
}

# ---------------------------------------------------------------------------------------------
# PWD-04

test_pwd_04_leak_not_followed_by_change_is_violation if {
	a := object.union(account("a1", "s1"), {"suspected_leak_at": "2026-11-10T09:00:00+08:00"})
	some f in violations(with_account(a), "PWD-04")
	f.evidence == {"account": "a1", "suspected_leak_at": "2026-11-10T09:00:00+08:00", "password_set_at": "2026-11-01T09:00:00+08:00"}
}

test_pwd_04_change_at_the_suspicion_instant_is_violation if {
	a := object.union(account("a1", "s1"), {"suspected_leak_at": "2026-11-01T09:00:00+08:00"})
	count(violations(with_account(a), "PWD-04")) == 1
}

test_pwd_04_changed_after_leak_is_compliant if {
	a := object.union(account("a1", "s1"), {"suspected_leak_at": "2026-11-01T08:59:59+08:00"})
	count(findings(with_account(a), "PWD-04")) == 0
}

test_pwd_04_no_password_date_is_violation if {
	a := object.union(object.remove(account("a1", "s1"), ["password_set_at"]), {"suspected_leak_at": "2026-11-01T08:59:59+08:00"})
	count(violations(with_account(a), "PWD-04")) == 1
}

test_pwd_04_disabled_account_is_ignored if {
	a := object.union(account("a1", "s1"), {"suspected_leak_at": "2026-11-10T09:00:00+08:00", "enabled": false})
	count(findings(with_account(a), "PWD-04")) == 0
}

# ---------------------------------------------------------------------------------------------
# LOCK-01

test_lock_01_config_compliant if {
	count(config_findings(good_config, "LOCK-01")) == 0
	count(config_findings(config({"password": good_password, "lockout": {"max_failed_attempts": 3, "unlock_procedure": "timed", "unlock_after_minutes": 30}}), "LOCK-01")) == 0
}

test_lock_01_config_zero_attempts_is_institution_defined_violation if {
	fs := config_findings(config({"password": good_password, "lockout": object.union(good_lockout, {"max_failed_attempts": 0})}), "LOCK-01")
	count(fs) == 1
	some f in fs
	f.subject.key == "lockout.max_failed_attempts"
	f.institution_defined == ["lockout.max_failed_attempts"]
}

test_lock_01_config_unset_attempts_is_violation if {
	fs := config_findings(config({"password": good_password, "lockout": {"unlock_procedure": "timed", "unlock_after_minutes": 15}}), "LOCK-01")
	{f.subject.key | some f in fs} == {"lockout.max_failed_attempts"}
}

test_lock_01_config_no_unlock_procedure_is_violation if {
	fs := config_findings(config({"password": good_password, "lockout": object.union(good_lockout, {"unlock_procedure": "none"})}), "LOCK-01")
	some f in fs
	f.subject.key == "lockout.unlock_procedure"
	not f.institution_defined
	fs2 := config_findings(config({"password": good_password, "lockout": {"max_failed_attempts": 5}}), "LOCK-01")
	count(fs2) == 1
}

test_lock_01_config_timed_unlock_needs_a_time if {
	fs := config_findings(config({"password": good_password, "lockout": {"max_failed_attempts": 5, "unlock_procedure": "timed"}}), "LOCK-01")
	{f.subject.key | some f in fs} == {"lockout.unlock_after_minutes"}
}

test_lock_01_config_only_user_units if {
	doc := config({"institution": object.union(institution, {"role": "management_agency"})})
	count(config_findings(doc, "LOCK-01")) == 0
}

test_lock_01_config_invalid_threshold_override_is_violation if {
	fs := config_findings(object.union(good_config, {"parameters": {"lockout.max_failed_attempts": 0}}), "LOCK-01")
	some f in fs
	f.subject.key == "parameters.lockout.max_failed_attempts"
	f.institution_defined == ["lockout.max_failed_attempts"]
}

fails(n) := with_account(object.union(account("a1", "s1"), {"failed_attempts": n}))

test_lock_01_state_limit_reached_not_locked_is_violation if {
	fs := violations(fails(5), "LOCK-01")
	count(fs) == 1
	some f in fs
	f.institution_defined == ["lockout.max_failed_attempts"]
	f.evidence == {"account": "a1", "failed_attempts": 5, "max_failed_attempts": 5, "locked": false}
}

test_lock_01_state_below_limit_is_compliant if {
	count(findings(fails(4), "LOCK-01")) == 0
}

test_lock_01_state_locked_is_compliant if {
	a := object.union(account("a1", "s1"), {"failed_attempts": 9, "locked": true})
	count(findings(with_account(a), "LOCK-01")) == 0
}

test_lock_01_state_institution_threshold_applies if {
	doc := object.union(fails(3), {"institution": object.union(institution, {"parameters": {"lockout.max_failed_attempts": 3}})})
	some f in findings(doc, "LOCK-01")
	f.evidence.max_failed_attempts == 3
}

test_lock_01_state_invalid_threshold_falls_back_to_default if {
	doc := object.union(fails(4), {"institution": object.union(institution, {"parameters": {"lockout.max_failed_attempts": -1}})})
	fs := findings(doc, "LOCK-01")
	{f.subject.key | some f in fs} == {"parameters.lockout.max_failed_attempts"}
}

# ---------------------------------------------------------------------------------------------
# ACCT-01

test_acct_01_shared_account_is_violation if {
	some f in violations(with_account(object.union(account("a1", "s1"), {"shared": true})), "ACCT-01")
	f.subject == {"institution": "bank-001", "account": "a1"}
	f.evidence.shared == true
}

test_acct_01_account_without_holder_is_violation if {
	fs := violations(object.union(compliant, {"accounts": [account("a1", "s1"), account("a2", null)], "authorisation_changes": [grant("a1"), grant("a2")]}), "ACCT-01")
	{f.subject.account | some f in fs} == {"a2"}
}

test_acct_01_staff_without_individual_account_is_violation if {
	fs := violations(with_staff([staff("s1"), staff("s2")], [account("a1", "s1")]), "ACCT-01")
	{f.subject | some f in fs} == {{"institution": "bank-001", "staff": "s2"}}
}

test_acct_01_staff_with_only_a_shared_account_is_violation if {
	fs := violations(with_account(object.union(account("a1", "s1"), {"shared": true})), "ACCT-01")
	{f.subject | some f in fs} == {{"institution": "bank-001", "account": "a1"}, {"institution": "bank-001", "staff": "s1"}}
}

test_acct_01_individual_accounts_are_compliant if {
	count(findings(compliant, "ACCT-01")) == 0
}

test_acct_01_staff_without_account_only_checked_at_user_units if {
	doc := object.union(with_staff([staff("s1"), staff("s2")], [account("a1", "s1")]), {"institution": object.union(institution, {"role": "management_agency"})})
	count(findings(doc, "ACCT-01")) == 0
}

test_acct_01_staff_who_left_need_no_account if {
	s := object.union(staff("s2"), {"left_on": "2026-10-01", "duty_to": "2026-10-01"})
	count(findings(with_staff([staff("s1"), s], [account("a1", "s1")]), "ACCT-01")) == 0
}

# ---------------------------------------------------------------------------------------------
# ACCT-02 — the account must be disabled no later than the effective date (Taipei)

left(on) := object.union(staff("s1"), {"left_on": on, "duty_to": on})

disabled_at(at) := object.union(account("a1", "s1"), {"enabled": false, "disabled_at": at})

test_acct_02_disabled_on_the_leaving_date_is_compliant if {
	count(findings(with_staff([left("2026-10-15")], [disabled_at("2026-10-15T23:59:59+08:00")]), "ACCT-02")) == 0
}

test_acct_02_disabled_a_day_late_is_violation if {
	fs := violations(with_staff([left("2026-10-15")], [disabled_at("2026-10-16T09:00:00+08:00")]), "ACCT-02")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "account": "a1", "staff": "s1"}
	f.evidence.effective_date == "2026-10-15"
	f.evidence.disabled_at == "2026-10-16T09:00:00+08:00"
}

test_acct_02_disabled_at_midnight_after_the_date_is_violation if {
	# 16:00 UTC on 15 October is 00:00 on 16 October in Taipei
	count(violations(with_staff([left("2026-10-15")], [disabled_at("2026-10-15T16:00:00Z")]), "ACCT-02")) == 1
	count(violations(with_staff([left("2026-10-15")], [disabled_at("2026-10-15T15:59:59Z")]), "ACCT-02")) == 0
}

test_acct_02_still_enabled_after_the_date_is_violation if {
	s := object.union(staff("s1"), {"transferred_on": "2026-11-01"})
	some f in violations(with_staff([s], [account("a1", "s1")]), "ACCT-02")
	f.evidence.transferred_on == "2026-11-01"
	f.evidence.enabled == true
}

test_acct_02_still_enabled_on_the_date_is_not_yet_a_violation if {
	doc := state_at("2026-11-27T23:00:00+08:00", {"staff": [left("2026-11-27")], "accounts": [account("a1", "s1")]})
	fs := findings(doc, "ACCT-02")
	count(fs) == 1
	some f in fs
	f.status == "due_soon"
	doc2 := state_at("2026-11-28T00:00:00+08:00", {"staff": [left("2026-11-27")], "accounts": [account("a1", "s1")]})
	count(violations(doc2, "ACCT-02")) == 1
}

test_acct_02_earlier_of_transfer_and_leaving_counts if {
	s := object.union(left("2026-10-20"), {"transferred_on": "2026-10-10"})
	some f in violations(with_staff([s], [disabled_at("2026-10-15T10:00:00+08:00")]), "ACCT-02")
	f.evidence.effective_date == "2026-10-10"
}

test_acct_02_covers_every_kind_of_account if {
	a := object.union(account("a1", "s1"), {"kind": "admin"})
	count(violations(with_staff([left("2026-10-15")], [a]), "ACCT-02")) == 1
}

# ---------------------------------------------------------------------------------------------
# ADMIN-01

admin_account(id, staff_id) := object.union(account(id, staff_id), {"kind": "admin"})

handover(extra) := object.union(
	{"id": "h1", "from_staff": "ad1", "to_staff": "ad2", "handover_on": "2026-06-30", "old_account_id": "adm-1", "new_account_id": "adm-2"},
	extra,
)

admin_doc(h, accts) := object.union(compliant, {"admin_handovers": [h], "accounts": array.concat([account("a1", "s1")], accts)})

test_admin_01_shared_admin_account_is_violation if {
	some f in violations(admin_doc(handover({"old_account_disabled_at": "2026-06-30T18:00:00+08:00"}), [object.union(admin_account("adm-2", "ad2"), {"shared": true})]), "ADMIN-01")
	f.subject == {"institution": "bank-001", "account": "adm-2"}
}

test_admin_01_admin_account_without_holder_is_violation if {
	fs := violations(admin_doc(handover({"old_account_disabled_at": "2026-06-30T18:00:00+08:00"}), [admin_account("adm-2", null)]), "ADMIN-01")
	{f.subject.account | some f in fs} == {"adm-2"}
}

test_admin_01_old_account_stopped_on_handover_date_is_compliant if {
	count(findings(admin_doc(handover({"old_account_disabled_at": "2026-06-30T23:59:59+08:00"}), [admin_account("adm-2", "ad2")]), "ADMIN-01")) == 0
}

test_admin_01_old_account_stopped_a_day_late_is_violation if {
	fs := violations(admin_doc(handover({"old_account_disabled_at": "2026-07-01T00:00:00+08:00"}), [admin_account("adm-2", "ad2")]), "ADMIN-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "bank-001", "handover": "h1", "staff": "ad1"}
	f.evidence.done_at == "2026-07-01T00:00:00+08:00"
	f.evidence.duty == "disable_old_account"
}

test_admin_01_old_account_disabling_read_from_the_account if {
	old := object.union(admin_account("adm-1", "ad1"), {"enabled": false, "disabled_at": "2026-06-30T12:00:00+08:00"})
	count(findings(admin_doc(handover({}), [old, admin_account("adm-2", "ad2")]), "ADMIN-01")) == 0
}

test_admin_01_old_account_never_stopped_is_violation if {
	fs := violations(admin_doc(handover({}), [admin_account("adm-2", "ad2")]), "ADMIN-01")
	some f in fs
	f.evidence.done_at == null
}

test_admin_01_coming_handover_is_due_soon if {
	fs := findings(admin_doc(handover({"handover_on": "2026-12-10"}), [admin_account("adm-2", "ad2")]), "ADMIN-01")
	{f.status | some f in fs} == {"due_soon"}
}

test_admin_01_no_new_admin_account_is_violation if {
	fs := violations(admin_doc(handover({"old_account_disabled_at": "2026-06-30T18:00:00+08:00", "new_account_id": null}), []), "ADMIN-01")
	{f.subject.staff | some f in fs} == {"ad2"}
}

test_admin_01_password_changed_by_handover_when_system_cannot_change if {
	h := handover({"system_cannot_change": true, "password_changed_at": "2026-06-30T20:00:00+08:00", "new_account_id": null})
	count(findings(admin_doc(h, []), "ADMIN-01")) == 0
}

test_admin_01_password_changed_late_when_system_cannot_change_is_violation if {
	h := handover({"system_cannot_change": true, "password_changed_at": "2026-07-02T09:00:00+08:00", "new_account_id": null})
	some f in violations(admin_doc(h, []), "ADMIN-01")
	f.evidence.duty == "password_change"
}

test_admin_01_password_never_changed_when_system_cannot_change_is_violation if {
	h := handover({"system_cannot_change": true, "new_account_id": null})
	count(violations(admin_doc(h, []), "ADMIN-01")) == 1
}

# ---------------------------------------------------------------------------------------------
# CARD-01

test_card_01_separate_custodians_and_new_pin_are_compliant if {
	count(findings(object.union(compliant, {"chip_cards": [card("c1", "k1", "k2")]}), "CARD-01")) == 0
}

test_card_01_same_custodian_is_violation if {
	some f in violations(object.union(compliant, {"chip_cards": [card("c1", "k1", "k1")]}), "CARD-01")
	f.subject == {"institution": "bank-001", "card": "c1"}
}

test_card_01_missing_custodian_is_violation if {
	fs := violations(object.union(compliant, {"chip_cards": [card("c1", "k1", null)]}), "CARD-01")
	{f.evidence.missing | some f in fs} == {"pin_custodian"}
}

test_card_01_pin_not_changed_after_staff_change_is_violation if {
	c := object.union(card("c1", "k1", "k2"), {"last_staff_change_at": "2026-04-01T09:00:00+08:00"})
	some f in violations(object.union(compliant, {"chip_cards": [c]}), "CARD-01")
	f.evidence.pin_changed_at == "2026-03-05T10:00:00+08:00"
	c2 := object.union(c, {"pin_changed_at": null})
	count(violations(object.union(compliant, {"chip_cards": [c2]}), "CARD-01")) == 1
}

# ---------------------------------------------------------------------------------------------
# REVIEW-01 — two reviews in every completed calendar year (Taipei)

reviews_doc(as_of, rs) := state_at(as_of, {"staff": [staff("s1")], "accounts": [account("a1", "s1")], "authorisation_changes": [grant("a1")], "access_reviews": rs})

test_review_01_review_at_2359_on_31_december_counts_for_that_year if {
	# 23:59 Taipei on 31 December 2025 is still 31 December (15:59 UTC)
	rs := [review("r1", "2025-06-01T10:00:00+08:00"), review("r2", "2025-12-31T15:59:00Z"), review("r3", "2026-03-01T10:00:00+08:00"), review("r4", "2026-09-01T10:00:00+08:00")]
	count(findings(reviews_doc("2026-11-27T10:00:00+08:00", rs), "REVIEW-01")) == 0
	rs2 := [review("r1", "2025-06-01T10:00:00+08:00"), review("r2", "2025-12-31T23:59:00+08:00"), review("r3", "2026-03-01T10:00:00+08:00"), review("r4", "2026-09-01T10:00:00+08:00")]
	count(findings(reviews_doc("2026-11-27T10:00:00+08:00", rs2), "REVIEW-01")) == 0
}

test_review_01_review_at_0000_on_1_january_counts_for_the_next_year if {
	rs := [review("r1", "2025-06-01T10:00:00+08:00"), review("r2", "2026-01-01T00:00:00+08:00"), review("r3", "2026-09-01T10:00:00+08:00")]
	fs := findings(reviews_doc("2026-11-27T10:00:00+08:00", rs), "REVIEW-01")
	count(fs) == 1
	some f in fs
	f.status == "violation"
	f.subject == {"institution": "bank-001", "year": 2025}
	f.evidence == {"year": 2025, "reviews": 1, "required": 2}
}

test_review_01_year_without_reviews_is_violation if {
	fs := violations(reviews_doc("2026-11-27T10:00:00+08:00", []), "REVIEW-01")
	{f.subject.year | some f in fs} == {2025}
}

test_review_01_years_before_activity_need_no_review if {
	a := object.union(account("a1", "s1"), {"created_at": "2026-02-01T00:00:00+08:00"})
	doc := object.union(reviews_doc("2026-11-27T10:00:00+08:00", []), {"accounts": [a]})
	count(findings(doc, "REVIEW-01")) == 0
}

test_review_01_current_year_ending_is_due_soon if {
	rs := [review("r1", "2025-06-01T10:00:00+08:00"), review("r2", "2025-12-01T10:00:00+08:00"), review("r3", "2026-06-01T10:00:00+08:00")]
	fs := findings(reviews_doc("2026-12-15T10:00:00+08:00", rs), "REVIEW-01")
	count(fs) == 1
	some f in fs
	f.status == "due_soon"
	f.evidence == {"year": 2026, "reviews": 1, "required": 2, "due": "2026-12-31"}
}

test_review_01_current_year_not_ending_is_not_due_soon if {
	rs := [review("r1", "2025-06-01T10:00:00+08:00"), review("r2", "2025-12-01T10:00:00+08:00")]
	count(findings(reviews_doc("2026-11-27T10:00:00+08:00", rs), "REVIEW-01")) == 0
}

test_review_01_record_deleted_before_five_years_is_violation if {
	r := object.union(review("r1", "2025-06-01T10:00:00+08:00"), {"deleted_at": "2030-06-01T09:59:59+08:00"})
	rs := [r, review("r2", "2025-12-01T10:00:00+08:00")]
	some f in violations(reviews_doc("2026-11-27T10:00:00+08:00", rs), "REVIEW-01")
	f.subject == {"institution": "bank-001", "review": "r1"}
	r2 := object.union(r, {"deleted_at": "2030-06-01T10:00:00+08:00"})
	count(findings(reviews_doc("2026-11-27T10:00:00+08:00", [r2, review("r2", "2025-12-01T10:00:00+08:00")]), "REVIEW-01")) == 0
}

test_review_01_only_user_units if {
	doc := object.union(reviews_doc("2026-11-27T10:00:00+08:00", []), {"institution": object.union(institution, {"role": "management_agency"})})
	count(findings(doc, "REVIEW-01")) == 0
}

test_review_01_weaker_override_is_violation_and_ignored if {
	doc := object.union(reviews_doc("2026-11-27T10:00:00+08:00", [review("r1", "2025-06-01T10:00:00+08:00")]), {"institution": object.union(institution, {"parameters": {"review.min_per_year": 1}})})
	fs := findings(doc, "REVIEW-01")
	count(fs) == 2
	some f in fs
	f.subject.parameter == "review.min_per_year"
}

# ---------------------------------------------------------------------------------------------
# NOTIFY-01 — BLI notified within 7 days (JCIC)

jcic := {"id": "jcic", "name": "JCIC", "role": "management_agency"}

change(id, on, notified) := {"id": id, "changed_on": on, "bli_notified_on": notified}

notify_doc(cs) := object.union(state({"linkage_staff_changes": cs}), {"institution": jcic})

test_notify_01_notified_on_day_7_is_compliant if {
	count(findings(notify_doc([change("n1", "2026-09-01", "2026-09-08")]), "NOTIFY-01")) == 0
}

test_notify_01_notified_on_day_8_is_violation if {
	fs := violations(notify_doc([change("n1", "2026-09-01", "2026-09-09")]), "NOTIFY-01")
	count(fs) == 1
	some f in fs
	f.subject == {"institution": "jcic", "change": "n1"}
	f.evidence == {"change": "n1", "changed_on": "2026-09-01", "bli_notified_on": "2026-09-09", "due": "2026-09-08", "notice_days": 7}
}

test_notify_01_not_notified_after_deadline_is_violation if {
	count(violations(notify_doc([change("n1", "2026-11-19", null)]), "NOTIFY-01")) == 1
}

test_notify_01_not_notified_on_day_7_is_due_soon if {
	fs := findings(notify_doc([change("n1", "2026-11-20", null)]), "NOTIFY-01")
	{f.status | some f in fs} == {"due_soon"}
}

test_notify_01_only_management_agency_misses_notices if {
	doc := state({"linkage_staff_changes": [change("n1", "2026-09-01", null)]})
	count(findings(doc, "NOTIFY-01")) == 0
}

test_notify_01_weaker_override_is_violation_and_ignored if {
	doc := object.union(notify_doc([change("n1", "2026-09-01", "2026-09-10")]), {"institution": object.union(jcic, {"parameters": {"jcic.staff_change_notice_days": 14}})})
	fs := findings(doc, "NOTIFY-01")
	count(fs) == 2
}

test_notify_01_stricter_override_applies if {
	doc := object.union(notify_doc([change("n1", "2026-09-01", "2026-09-05")]), {"institution": object.union(jcic, {"parameters": {"jcic.staff_change_notice_days": 3}})})
	some f in violations(doc, "NOTIFY-01")
	f.evidence.due == "2026-09-04"
}

# ---------------------------------------------------------------------------------------------
# Broker mode

broker(extra) := object.union(
	{
		"as_of": "2026-11-27T10:00:00+08:00",
		"institution": institution,
		"request": {"id": "req-1", "account_id": "a1", "staff_id": "s1", "purpose": "credit", "requested_at": "2026-11-27T10:00:00+08:00", "requested_fields": ["name"]},
		"account": {"id": "a1", "staff_id": "s1", "kind": "query", "enabled": true, "locked": false, "shared": false, "password_set_at": "2026-11-01T09:00:00+08:00", "can_login": true},
		"staff": {"id": "s1", "designated": true, "roles": ["query"], "left_on": null, "transferred_on": null},
	},
	extra,
)

with_broker_account(extra) := broker({"account": object.union(broker({}).account, extra)})

test_broker_compliant_request_is_allowed if {
	count(denials(broker({}))) == 0
}

test_broker_undesignated_staff_is_denied if {
	denied_by(broker({"staff": {"id": "s1", "designated": false, "roles": ["query"]}})) == {"STAFF-01"}
	some d in denials(broker({"staff": {"id": "s1", "designated": false, "roles": ["query"]}}))
	d.status == "violation"
	d.subject == {"institution": "bank-001", "request": "req-1", "account": "a1", "staff": "s1"}
}

test_broker_unknown_staff_is_denied if {
	denied_by(broker({"staff": null})) == {"STAFF-01"}
}

test_broker_unknown_account_is_denied if {
	denied_by(broker({"account": null})) == {"ACCT-01"}
}

test_broker_shared_account_is_denied if {
	denied_by(with_broker_account({"shared": true})) == {"ACCT-01"}
}

test_broker_borrowed_account_is_denied if {
	doc := broker({"request": object.union(broker({}).request, {"staff_id": "s9"}), "staff": {"id": "s9", "designated": true}})
	denied_by(doc) == {"ACCT-01"}
}

test_broker_disabled_account_is_denied if {
	denied_by(with_broker_account({"enabled": false, "can_login": false})) == {"ACCT-02"}
	denied_by(with_broker_account({"can_login": false})) == {"ACCT-02"}
}

test_broker_locked_account_is_denied if {
	denied_by(with_broker_account({"locked": true, "can_login": false})) == {"LOCK-01"}
}

test_broker_staff_who_left_is_denied_after_the_date if {
	denied_by(broker({"staff": {"id": "s1", "designated": true, "left_on": "2026-11-26"}})) == {"ACCT-02"}
	denied_by(broker({"staff": {"id": "s1", "designated": true, "transferred_on": "2026-11-26"}})) == {"ACCT-02"}
	count(denials(broker({"staff": {"id": "s1", "designated": true, "left_on": "2026-11-27"}}))) == 0
}

test_broker_expired_password_is_denied_at_batch_units if {
	doc := with_broker_account({"password_set_at": "2026-08-01T00:00:00+08:00"})
	denied_by(doc) == {"PWD-02"}
	some d in denials(doc)
	d.evidence.expires_at == "2026-10-30T00:00:00+08:00"
	doc2 := object.union(doc, {"institution": object.union(institution, {"batch_server": false})})
	count(denials(doc2)) == 0
}

# ---------------------------------------------------------------------------------------------
# Weaker overrides in a configuration document

test_config_weaker_review_and_notice_overrides if {
	doc := object.union(good_config, {"parameters": {"review.min_per_year": 1, "jcic.staff_change_notice_days": 10}})
	some r in config_findings(doc, "REVIEW-01")
	r.subject.key == "parameters.review.min_per_year"
	some n in config_findings(doc, "NOTIFY-01")
	n.subject.key == "parameters.jcic.staff_change_notice_days"
	count(config_findings(object.union(good_config, {"parameters": {"review.min_per_year": 4}}), "REVIEW-01")) == 0
}
