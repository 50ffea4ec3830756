package bligate.areas.handling_test

import data.bligate.areas.handling

# ---------------------------------------------------------------------------------------------
# Documents

as_of := "2026-11-27T10:00:00+08:00"

jcic := {"id": "jcic", "name": "JCIC", "role": "management_agency"}

bank := {"id": "bank-001", "name": "Demo Bank", "role": "user_unit", "batch_server": true}

plain_bank := {"id": "bank-002", "name": "Plain Bank", "role": "user_unit"}

fsc := {"id": "fsc", "name": "FSC", "role": "supervisor", "batch_server": true}

# A state document as of 2026-11-27 10:00 Taipei for an institution, with the given collections.
state(inst, doc) := object.union({"as_of": as_of, "institution": inst}, doc)

# The same with institution parameters.
with_params(inst, params) := object.union(inst, {"parameters": params})

# State-mode findings of one requirement.
findings(req, st) := {f | some f in handling.state_findings with input as st; f.requirement == req}

# Config-mode findings of one requirement.
cfindings(req, c) := {f | some f in handling.config_findings with input as c; f.requirement == req}

statuses(fs) := {[f.status, f.subject] | some f in fs}

# A temporary record obtained at 2026-11-20 10:00 Taipei.
obtained := "2026-11-20T10:00:00+08:00"

temp(deleted_at, files) := {"id": "t1", "obtained_at": obtained, "deleted_at": deleted_at, "derived_files": files}

deletion(extra) := object.union(
	{
		"id": "d1", "target": "jcic_temp_db", "deleted_at": "2026-11-24T09:00:00+08:00",
		"method": "scheduled_job", "performed_by": null, "performer_designated": null,
		"covers_derived_files": true, "evidence_ref": "EV-1", "evidence_deleted_at": null,
	},
	extra,
)

uud(extra) := object.union(
	{"id": "u1", "case_no": "C-1", "use_completed_on": "2026-10-01", "retention_needed": false, "deleted_at": "2026-10-15T10:00:00+08:00", "procedure_ref": "PROC-DEL-1"},
	extra,
)

transfer(extra) := object.union(
	{
		"id": "b1", "transferred_at": "2026-11-01T09:00:00+08:00", "handled_by": "s1",
		"handler_designated": true, "integrity_checked": true, "access_controlled": true,
		"use_until": "2026-11-30T00:00:00+08:00", "last_used_at": "2026-11-20T12:00:00+08:00",
		"left_premises": false,
	},
	extra,
)

good_logs := {"enabled": true, "oldest_entry_at": "2019-01-01T00:00:00+08:00", "purged_before": null}

attestation(until) := {"id": "a1", "requirement": "SEC-01", "attested_by": "head", "attested_at": "2026-06-01T10:00:00+08:00", "evidence_ref": "DOC-SEC", "valid_until": until}

config(inst, doc) := object.union({"institution": inst}, doc)

jcic_config := {
	"jcic_temp_storage": {"retention_days": 3, "deletion_grace_hours": 24, "deletion": {"method": "scheduled_job", "covers_derived_files": true}},
	"retention": {"deletion_evidence": 5, "data_access_logs": 5},
	"database_audit": {"enabled": true, "retention_years": 5},
}

bank_config := {
	"deletion": {"after_use_days": 30, "procedure_documented": true},
	"screen_lock": {"enabled": true, "idle_minutes": 10, "password_required": true},
	"database_audit": {"enabled": true, "retention_years": 5},
}

# ---------------------------------------------------------------------------------------------
# TEMP-01

test_temp_01_deleted_at_exactly_96_hours_is_compliant if {
	count(findings("TEMP-01", state(jcic, {"jcic_temp_records": [temp("2026-11-24T10:00:00+08:00", [])]}))) == 0
}

test_temp_01_deleted_at_96_hours_plus_1_second_is_violation if {
	fs := findings("TEMP-01", state(jcic, {"jcic_temp_records": [temp("2026-11-24T10:00:01+08:00", [])]}))
	statuses(fs) == {["violation", {"institution": "jcic", "record": "t1"}]}
	some f in fs
	f.evidence.deadline == "2026-11-24T10:00:00+08:00"
	f.evidence.limit_hours == 96
	f.evidence["jcic_temp.days"] == 3
	f.evidence["jcic_temp.deletion_grace_hours"] == 24
	f.clause == "四(二)2, 八(三)"
	f.severity == "high"
}

test_temp_01_offsets_are_instants if {
	# obtained 02:00 UTC = 10:00 Taipei; deleted 96 h later, written in UTC
	r := {"id": "t1", "obtained_at": "2026-11-20T02:00:00Z", "deleted_at": "2026-11-24T02:00:00Z", "derived_files": []}
	count(findings("TEMP-01", state(jcic, {"jcic_temp_records": [r]}))) == 0
	late := object.union(r, {"deleted_at": "2026-11-24T10:00:01+08:00"})
	count(findings("TEMP-01", state(jcic, {"jcic_temp_records": [late]}))) == 1
}

test_temp_01_derived_file_deleted_late if {
	files := [
		{"path": "/tmp/a.csv", "deleted_at": "2026-11-23T10:00:00+08:00"},
		{"path": "/tmp/b.csv", "deleted_at": "2026-11-24T10:00:01+08:00"},
	]
	fs := findings("TEMP-01", state(jcic, {"jcic_temp_records": [temp("2026-11-23T10:00:00+08:00", files)]}))
	statuses(fs) == {["violation", {"institution": "jcic", "record": "t1", "file": "/tmp/b.csv"}]}
}

test_temp_01_derived_file_deleted_at_96_hours_is_compliant if {
	files := [{"path": "/tmp/a.csv", "deleted_at": "2026-11-24T10:00:00+08:00"}]
	count(findings("TEMP-01", state(jcic, {"jcic_temp_records": [temp("2026-11-24T10:00:00+08:00", files)]}))) == 0
}

test_temp_01_still_present_after_deadline_is_violation if {
	r := {"id": "t2", "obtained_at": "2026-11-23T09:59:59+08:00", "deleted_at": null, "derived_files": [{"path": "/tmp/c.csv", "deleted_at": null}]}
	fs := findings("TEMP-01", state(jcic, {"jcic_temp_records": [r]}))
	statuses(fs) == {
		["violation", {"institution": "jcic", "record": "t2"}],
		["violation", {"institution": "jcic", "record": "t2", "file": "/tmp/c.csv"}],
	}
}

test_temp_01_missing_deleted_at_counts_as_present if {
	r := {"id": "t2", "obtained_at": "2026-11-01T10:00:00+08:00"}
	statuses(findings("TEMP-01", state(jcic, {"jcic_temp_records": [r]}))) == {["violation", {"institution": "jcic", "record": "t2"}]}
}

test_temp_01_present_at_deadline_is_due_soon_not_violation if {
	r := {"id": "t3", "obtained_at": "2026-11-23T10:00:00+08:00", "deleted_at": null}
	fs := findings("TEMP-01", state(jcic, {"jcic_temp_records": [r]}))
	statuses(fs) == {["due_soon", {"institution": "jcic", "record": "t3"}]}
	some f in fs
	f.evidence.due_soon_hours == 24
}

test_temp_01_due_soon_window_is_24_hours if {
	at_24h := {"id": "t4", "obtained_at": "2026-11-24T10:00:00+08:00", "deleted_at": null}
	statuses(findings("TEMP-01", state(jcic, {"jcic_temp_records": [at_24h]}))) == {["due_soon", {"institution": "jcic", "record": "t4"}]}
	beyond := {"id": "t5", "obtained_at": "2026-11-24T10:00:01+08:00", "deleted_at": null}
	count(findings("TEMP-01", state(jcic, {"jcic_temp_records": [beyond]}))) == 0
}

test_temp_01_due_soon_for_derived_file_left if {
	r := {"id": "t6", "obtained_at": "2026-11-24T09:00:00+08:00", "deleted_at": "2026-11-27T09:00:00+08:00", "derived_files": [{"path": "/tmp/d.csv", "deleted_at": null}]}
	statuses(findings("TEMP-01", state(jcic, {"jcic_temp_records": [r]}))) == {["due_soon", {"institution": "jcic", "record": "t6", "file": "/tmp/d.csv"}]}
}

test_temp_01_applies_to_records_of_any_role if {
	count(findings("TEMP-01", state(bank, {"jcic_temp_records": [temp("2026-11-24T10:00:01+08:00", [])]}))) == 1
}

test_temp_01_weaker_override_is_violation_and_ignored if {
	st := state(with_params(jcic, {"jcic_temp.days": 5}), {"jcic_temp_records": [temp("2026-11-24T10:00:01+08:00", [])]})
	fs := findings("TEMP-01", st)
	statuses(fs) == {
		["violation", {"institution": "jcic", "record": "t1"}],
		["violation", {"institution": "jcic", "key": "parameters.jcic_temp.days", "parameter": "jcic_temp.days"}],
	}
}

test_temp_01_stricter_override_applies if {
	st := state(with_params(jcic, {"jcic_temp.days": 2, "jcic_temp.deletion_grace_hours": 12}), {"jcic_temp_records": [temp("2026-11-22T22:00:01+08:00", [])]})
	fs := findings("TEMP-01", st)
	some f in fs
	f.evidence.limit_hours == 60
	f.evidence.deadline == "2026-11-22T22:00:00+08:00"
	count(fs) == 1
}

test_temp_01_config_compliant if {
	count(cfindings("TEMP-01", config(jcic, jcic_config))) == 0
}

test_temp_01_config_too_long if {
	c := config(jcic, object.union(jcic_config, {"jcic_temp_storage": {"retention_days": 4, "deletion_grace_hours": 48}}))
	fs := cfindings("TEMP-01", c)
	statuses(fs) == {
		["violation", {"institution": "jcic", "key": "jcic_temp_storage.retention_days"}],
		["violation", {"institution": "jcic", "key": "jcic_temp_storage.deletion_grace_hours"}],
	}
	some f in fs
	f.subject.key == "jcic_temp_storage.retention_days"
	f.evidence == {"key": "jcic_temp_storage.retention_days", "value": 4, "max": 3, "parameter": "jcic_temp.days"}
}

test_temp_01_config_missing_is_violation if {
	count(cfindings("TEMP-01", config(jcic, {}))) == 2
}

test_temp_01_config_not_for_user_units if {
	count(cfindings("TEMP-01", config(bank, {"jcic_temp_storage": {"retention_days": 10}}))) == 0
}

test_temp_01_config_stricter_override_checks_config if {
	c := config(jcic, object.union(jcic_config, {"parameters": {"jcic_temp.days": 2}}))
	statuses(cfindings("TEMP-01", c)) == {["violation", {"institution": "jcic", "key": "jcic_temp_storage.retention_days"}]}
}

test_temp_01_config_weaker_override if {
	c := config(bank, object.union(bank_config, {"parameters": {"jcic_temp.deletion_grace_hours": 48}}))
	statuses(cfindings("TEMP-01", c)) == {["violation", {"institution": "bank-001", "key": "parameters.jcic_temp.deletion_grace_hours", "parameter": "jcic_temp.deletion_grace_hours"}]}
}

# ---------------------------------------------------------------------------------------------
# DEL-01

test_del_01_scheduled_job_is_compliant if {
	count(findings("DEL-01", state(jcic, {"deletions": [deletion({})]}))) == 0
}

test_del_01_designated_person_is_compliant if {
	d := deletion({"method": "designated_person", "performed_by": "s1", "performer_designated": true})
	count(findings("DEL-01", state(jcic, {"deletions": [d]}))) == 0
}

test_del_01_undesignated_person_is_violation if {
	d := deletion({"method": "designated_person", "performed_by": "s9", "performer_designated": false})
	fs := findings("DEL-01", state(jcic, {"deletions": [d]}))
	statuses(fs) == {["violation", {"institution": "jcic", "deletion": "d1"}]}
	some f in fs
	f.evidence.performed_by == "s9"
}

test_del_01_other_method_is_violation if {
	d := object.remove(deletion({"method": "other"}), ["performer_designated"])
	count(findings("DEL-01", state(jcic, {"deletions": [d]}))) == 1
}

test_del_01_config if {
	count(cfindings("DEL-01", config(jcic, jcic_config))) == 0
	bad := config(jcic, object.union(jcic_config, {"jcic_temp_storage": {"deletion": {"method": "other"}}}))
	statuses(cfindings("DEL-01", bad)) == {["violation", {"institution": "jcic", "key": "jcic_temp_storage.deletion.method"}]}
	count(cfindings("DEL-01", config(jcic, {}))) == 1
	count(cfindings("DEL-01", config(bank, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# DEL-02

test_del_02_deletion_covering_derived_files_is_compliant if {
	files := [{"path": "/tmp/a.csv", "deleted_at": "2026-11-23T10:00:00+08:00"}]
	count(findings("DEL-02", state(jcic, {"deletions": [deletion({})], "jcic_temp_records": [temp("2026-11-23T10:00:00+08:00", files)]}))) == 0
}

test_del_02_deletion_not_covering_derived_files_is_violation if {
	fs := findings("DEL-02", state(jcic, {"deletions": [deletion({"covers_derived_files": false}), object.remove(deletion({"id": "d2"}), ["covers_derived_files"])]}))
	statuses(fs) == {
		["violation", {"institution": "jcic", "deletion": "d1"}],
		["violation", {"institution": "jcic", "deletion": "d2"}],
	}
}

test_del_02_record_deleted_with_derived_file_left if {
	files := [{"path": "/tmp/a.csv", "deleted_at": null}]
	fs := findings("DEL-02", state(jcic, {"jcic_temp_records": [temp("2026-11-23T10:00:00+08:00", files)]}))
	statuses(fs) == {["violation", {"institution": "jcic", "record": "t1", "file": "/tmp/a.csv"}]}
}

test_del_02_derived_file_deleted_after_the_record if {
	files := [{"path": "/tmp/a.csv", "deleted_at": "2026-11-23T10:00:01+08:00"}]
	fs := findings("DEL-02", state(jcic, {"jcic_temp_records": [temp("2026-11-23T10:00:00+08:00", files)]}))
	some f in fs
	f.evidence.file_deleted_at == "2026-11-23T10:00:01+08:00"
}

test_del_02_record_not_yet_deleted_is_not_del_02 if {
	files := [{"path": "/tmp/a.csv", "deleted_at": null}]
	count(findings("DEL-02", state(jcic, {"jcic_temp_records": [temp(null, files)]}))) == 0
}

test_del_02_config if {
	count(cfindings("DEL-02", config(jcic, jcic_config))) == 0
	bad := config(jcic, object.union(jcic_config, {"jcic_temp_storage": {"deletion": {"covers_derived_files": false}}}))
	statuses(cfindings("DEL-02", bad)) == {["violation", {"institution": "jcic", "key": "jcic_temp_storage.deletion.covers_derived_files"}]}
	count(cfindings("DEL-02", config(bank, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# DEL-03

test_del_03_evidence_kept_is_compliant if {
	count(findings("DEL-03", state(jcic, {"deletions": [deletion({})]}))) == 0
}

test_del_03_missing_evidence_is_violation if {
	fs := findings("DEL-03", state(jcic, {"deletions": [deletion({"evidence_ref": null}), deletion({"id": "d2", "evidence_ref": ""})]}))
	statuses(fs) == {
		["violation", {"institution": "jcic", "deletion": "d1"}],
		["violation", {"institution": "jcic", "deletion": "d2"}],
	}
}

test_del_03_evidence_deleted_one_second_before_five_years if {
	d := deletion({"deleted_at": "2020-02-29T09:00:00+08:00", "evidence_deleted_at": "2025-03-01T08:59:59+08:00"})
	fs := findings("DEL-03", state(jcic, {"deletions": [d]}))
	some f in fs
	f.evidence.kept_until_at_least == "2025-03-01T09:00:00+08:00"
	f.evidence.retention_years == 5
}

test_del_03_evidence_deleted_at_five_years_is_compliant if {
	d := deletion({"deleted_at": "2020-02-29T09:00:00+08:00", "evidence_deleted_at": "2025-03-01T09:00:00+08:00"})
	count(findings("DEL-03", state(jcic, {"deletions": [d]}))) == 0
}

test_del_03_config if {
	count(cfindings("DEL-03", config(jcic, jcic_config))) == 0
	count(cfindings("DEL-03", config(jcic, {}))) == 0
	bad := config(jcic, object.union(jcic_config, {"retention": {"deletion_evidence": 3}}))
	statuses(cfindings("DEL-03", bad)) == {["violation", {"institution": "jcic", "key": "retention.deletion_evidence"}]}
}

# ---------------------------------------------------------------------------------------------
# DEL-04

test_del_04_deleted_within_a_month_is_compliant if {
	count(findings("DEL-04", state(bank, {"user_unit_data": [uud({})]}))) == 0
}

test_del_04_deleted_on_the_last_day_is_compliant if {
	count(findings("DEL-04", state(bank, {"user_unit_data": [uud({"deleted_at": "2026-10-31T23:59:59+08:00"})]}))) == 0
}

test_del_04_deleted_the_day_after_is_violation if {
	fs := findings("DEL-04", state(bank, {"user_unit_data": [uud({"deleted_at": "2026-11-01T00:00:00+08:00"})]}))
	statuses(fs) == {["violation", {"institution": "bank-001", "record": "u1"}]}
	some f in fs
	f.evidence.deadline == "2026-10-31"
	f.evidence.deletion_after_use_days == 30
	f.evidence.case_no == "C-1"
}

test_del_04_still_present_after_deadline_is_violation if {
	fs := findings("DEL-04", state(bank, {"user_unit_data": [uud({"use_completed_on": "2026-10-27", "deleted_at": null})]}))
	statuses(fs) == {["violation", {"institution": "bank-001", "record": "u1"}]}
	some f in fs
	f.evidence.deadline == "2026-11-26"
}

test_del_04_still_present_before_deadline_is_due_soon if {
	fs := findings("DEL-04", state(bank, {"user_unit_data": [uud({"use_completed_on": "2026-10-28", "deleted_at": null})]}))
	statuses(fs) == {["due_soon", {"institution": "bank-001", "record": "u1"}]}
}

test_del_04_retention_needed_or_in_use_is_not_due if {
	st := state(bank, {"user_unit_data": [
		uud({"use_completed_on": "2025-01-01", "deleted_at": null, "retention_needed": true}),
		uud({"id": "u2", "use_completed_on": null, "deleted_at": null}),
		object.remove(uud({"id": "u3"}), ["use_completed_on", "deleted_at"]),
	]})
	count(findings("DEL-04", st)) == 0
}

test_del_04_deletion_without_written_procedure_is_violation if {
	fs := findings("DEL-04", state(bank, {"user_unit_data": [uud({"procedure_ref": null}), object.remove(uud({"id": "u2"}), ["procedure_ref"])]}))
	statuses(fs) == {
		["violation", {"institution": "bank-001", "record": "u1"}],
		["violation", {"institution": "bank-001", "record": "u2"}],
	}
}

test_del_04_weaker_override_is_violation_and_ignored if {
	st := state(with_params(bank, {"user_unit.deletion_after_use_days": 60}), {"user_unit_data": [uud({"deleted_at": "2026-11-01T00:00:00+08:00"})]})
	statuses(findings("DEL-04", st)) == {
		["violation", {"institution": "bank-001", "record": "u1"}],
		["violation", {"institution": "bank-001", "key": "parameters.user_unit.deletion_after_use_days", "parameter": "user_unit.deletion_after_use_days"}],
	}
}

test_del_04_stricter_override_applies if {
	st := state(with_params(bank, {"user_unit.deletion_after_use_days": 10}), {"user_unit_data": [uud({"deleted_at": "2026-10-12T00:00:00+08:00"})]})
	some f in findings("DEL-04", st)
	f.evidence.deadline == "2026-10-11"
}

test_del_04_config_compliant if {
	count(cfindings("DEL-04", config(bank, bank_config))) == 0
}

test_del_04_config_violations if {
	c := config(bank, object.union(bank_config, {"deletion": {"after_use_days": 45, "procedure_documented": false}}))
	statuses(cfindings("DEL-04", c)) == {
		["violation", {"institution": "bank-001", "key": "deletion.after_use_days"}],
		["violation", {"institution": "bank-001", "key": "deletion.procedure_documented"}],
	}
	count(cfindings("DEL-04", config(bank, {}))) == 2
	count(cfindings("DEL-04", config(jcic, {}))) == 0
}

test_del_04_config_weaker_override if {
	c := config(bank, object.union(bank_config, {"parameters": {"user_unit.deletion_after_use_days": 31}}))
	statuses(cfindings("DEL-04", c)) == {["violation", {"institution": "bank-001", "key": "parameters.user_unit.deletion_after_use_days", "parameter": "user_unit.deletion_after_use_days"}]}
}

# ---------------------------------------------------------------------------------------------
# BATCH-01, BATCH-02

test_batch_01_02_compliant_transfer if {
	st := state(jcic, {"batch_transfers": [transfer({})]})
	count(findings("BATCH-01", st)) == 0
	count(findings("BATCH-02", st)) == 0
}

test_batch_01_undesignated_handler_without_integrity_check if {
	fs := findings("BATCH-01", state(jcic, {"batch_transfers": [transfer({"handler_designated": false, "integrity_checked": null})]}))
	statuses(fs) == {["violation", {"institution": "jcic", "transfer": "b1"}]}
	some f in fs
	f.evidence.problems == ["handler_designated", "integrity_checked"]
}

test_batch_01_missing_integrity_check if {
	fs := findings("BATCH-01", state(jcic, {"batch_transfers": [object.remove(transfer({}), ["integrity_checked"])]}))
	some f in fs
	f.evidence.problems == ["integrity_checked"]
}

test_batch_02_used_at_end_of_period_is_compliant if {
	t := transfer({"last_used_at": "2026-11-30T00:00:00+08:00"})
	count(findings("BATCH-02", state(jcic, {"batch_transfers": [t]}))) == 0
}

test_batch_02_used_after_period if {
	t := transfer({"last_used_at": "2026-11-30T00:00:01+08:00"})
	some f in findings("BATCH-02", state(jcic, {"batch_transfers": [t]}))
	f.evidence.problems == ["used_after_period"]
}

test_batch_02_all_problems if {
	t := object.remove(transfer({"access_controlled": false, "left_premises": true}), ["use_until"])
	fs := findings("BATCH-02", state(jcic, {"batch_transfers": [t]}))
	statuses(fs) == {["violation", {"institution": "jcic", "transfer": "b1"}]}
	some f in fs
	f.evidence.problems == ["access_controlled", "approved_period", "left_premises"]
	f.message.en == "Batch data b1 (transferred 2026-11-01T09:00:00+08:00, approved until null, last used 2026-11-20T12:00:00+08:00): no access permissions set; no approved period of use; data taken off the premises."
}

# ---------------------------------------------------------------------------------------------
# BATCH-03

test_batch_03_logs_kept_is_compliant if {
	count(findings("BATCH-03", state(jcic, {"data_access_logs": good_logs}))) == 0
	count(findings("BATCH-03", state(bank, {"data_access_logs": good_logs}))) == 0
}

test_batch_03_purged_exactly_five_years_back_is_compliant if {
	logs := object.union(good_logs, {"purged_before": "2021-11-27T10:00:00+08:00"})
	count(findings("BATCH-03", state(jcic, {"data_access_logs": logs}))) == 0
}

test_batch_03_purged_too_recently_is_violation if {
	logs := object.union(good_logs, {"purged_before": "2021-11-27T10:00:01+08:00"})
	fs := findings("BATCH-03", state(jcic, {"data_access_logs": logs}))
	statuses(fs) == {["violation", {"institution": "jcic", "log": "data_access_logs"}]}
	some f in fs
	f.evidence.keep_from == "2021-11-27T10:00:00+08:00"
}

test_batch_03_disabled_or_missing_logs_is_violation if {
	statuses(findings("BATCH-03", state(bank, {"data_access_logs": {"enabled": false}}))) == {["violation", {"institution": "bank-001", "log": "data_access_logs"}]}
	count(findings("BATCH-03", state(jcic, {}))) == 1
}

test_batch_03_not_for_plain_user_units_or_supervisor if {
	count(findings("BATCH-03", state(plain_bank, {}))) == 0
	count(findings("BATCH-03", state(fsc, {}))) == 0
}

test_batch_03_config if {
	count(cfindings("BATCH-03", config(jcic, jcic_config))) == 0
	count(cfindings("BATCH-03", config(bank, bank_config))) == 0
	c := config(bank, object.union(bank_config, {"database_audit": {"enabled": false, "retention_years": 3}, "retention": {"data_access_logs": 4}}))
	statuses(cfindings("BATCH-03", c)) == {
		["violation", {"institution": "bank-001", "key": "database_audit.enabled"}],
		["violation", {"institution": "bank-001", "key": "database_audit.retention_years"}],
		["violation", {"institution": "bank-001", "key": "retention.data_access_logs"}],
	}
	count(cfindings("BATCH-03", config(jcic, {}))) == 2
	count(cfindings("BATCH-03", config(plain_bank, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# SEC-01

test_sec_01_attestation_in_force_is_compliant if {
	count(findings("SEC-01", state(bank, {"attestations": [attestation("2027-06-01T00:00:00+08:00")]}))) == 0
}

test_sec_01_missing_or_expired_attestation_is_violation if {
	statuses(findings("SEC-01", state(bank, {}))) == {["violation", {"institution": "bank-001", "requirement": "SEC-01"}]}
	count(findings("SEC-01", state(bank, {"attestations": [attestation("2026-11-27T10:00:00+08:00")]}))) == 1
}

test_sec_01_attestation_expiring_is_due_soon if {
	fs := findings("SEC-01", state(bank, {"attestations": [attestation("2026-12-10T00:00:00+08:00")]}))
	statuses(fs) == {["due_soon", {"institution": "bank-001", "requirement": "SEC-01"}]}
	some f in fs
	f.clause == "四(二)5"
}

test_sec_01_not_for_management_agency if {
	count(findings("SEC-01", state(jcic, {}))) == 0
}

test_sec_01_config if {
	count(cfindings("SEC-01", config(bank, bank_config))) == 0
	c := config(bank, object.union(bank_config, {"screen_lock": {"enabled": false, "password_required": false}}))
	statuses(cfindings("SEC-01", c)) == {
		["violation", {"institution": "bank-001", "key": "screen_lock.enabled"}],
		["violation", {"institution": "bank-001", "key": "screen_lock.password_required"}],
	}
	count(cfindings("SEC-01", config(bank, {}))) == 2
	count(cfindings("SEC-01", config(jcic, {}))) == 0
}

# ---------------------------------------------------------------------------------------------
# Every finding carries metadata, bilingual messages and the institution

test_findings_are_well_formed if {
	st := state(jcic, {
		"jcic_temp_records": [temp(null, [{"path": "/tmp/x", "deleted_at": null}])],
		"deletions": [deletion({"method": "other", "covers_derived_files": false, "evidence_ref": null})],
		"batch_transfers": [transfer({"handler_designated": false, "left_premises": true})],
	})
	fs := handling.state_findings with input as st
	count(fs) == 8
	every f in fs {
		f.title.zh_TW != ""
		f.title.en != ""
		f.message.zh_TW != ""
		f.message.en != ""
		f.subject.institution == "jcic"
		f.severity in {"high", "medium", "low"}
	}
}

test_del_02_messages_say_whether_the_file_is_left if {
	left := findings("DEL-02", state(jcic, {"jcic_temp_records": [temp("2026-11-23T10:00:00+08:00", [{"path": "/tmp/a.csv", "deleted_at": null}])]}))
	some f in left
	f.message.en == "Temporary record t1 was deleted at 2026-11-23T10:00:00+08:00 but its derived file /tmp/a.csv was not deleted with it (it is still present)."
	f.message.zh_TW == "暫存紀錄 t1 於 2026-11-23T10:00:00+08:00 刪除時，衍生檔案 /tmp/a.csv 未一併刪除（至今仍未刪除）。"
	later := findings("DEL-02", state(jcic, {"jcic_temp_records": [temp("2026-11-23T10:00:00+08:00", [{"path": "/tmp/a.csv", "deleted_at": "2026-11-23T11:00:00+08:00"}])]}))
	some g in later
	g.message.en == "Temporary record t1 was deleted at 2026-11-23T10:00:00+08:00 but its derived file /tmp/a.csv was not deleted with it (it was deleted only at 2026-11-23T11:00:00+08:00)."
}
