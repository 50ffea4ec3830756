# METADATA
# title: Data handling, batches and deletion (資料處理、批次與刪除)
# description: |
#   TEMP-01, DEL-01, DEL-02, DEL-03, DEL-04, BATCH-01, BATCH-02, BATCH-03, SEC-01.
#   Checks on records that are present (temporary records, deletions, user-unit data, batch
#   transfers) apply whatever the institution's role; checks for something missing (access
#   logs, configuration, attestations) apply only to the roles requirements.md lists.
package bligate.areas.handling

import data.bligate.lib

config_findings contains f if some f in temp_01_config

config_findings contains f if some f in del_01_config

config_findings contains f if some f in del_02_config

config_findings contains f if some f in del_03_config

config_findings contains f if some f in del_04_config

config_findings contains f if some f in batch_03_config

config_findings contains f if some f in sec_01_config

state_findings contains f if some f in temp_01_state

state_findings contains f if some f in del_01_state

state_findings contains f if some f in del_02_state

state_findings contains f if some f in del_03_state

state_findings contains f if some f in del_04_state

state_findings contains f if some f in batch_01_state

state_findings contains f if some f in batch_02_state

state_findings contains f if some f in batch_03_state

state_findings contains f if some f in sec_01_state

# ---------------------------------------------------------------------------------------------
# Roles and small helpers (area-local)

management_agency if input.institution.role == "management_agency"

user_unit if input.institution.role == "user_unit"

# B: a user unit that queries JCIC through file-transfer batches or a server connection.
batch_unit if {
	user_unit
	input.institution.batch_server == true
}

# An RFC 3339 rendering (Taipei offset) of an instant, for evidence and messages.
instant(n) := time.format([n, lib.tz, "2006-01-02T15:04:05Z07:00"])

# A config value at a dotted path, null when missing.
cfg(path) := object.get(input, split(path, "."), null)

# The value of a field of a record, null when missing.
field(r, name) := object.get(r, name, null)

# A non-empty string.
present_string(v) if {
	is_string(v)
	v != ""
}

# ---------------------------------------------------------------------------------------------
# TEMP-01 — JCIC's temporary storage: kept 3 days, deleted within 24 hours after that

# Hours from obtaining to the deletion deadline (3 × 24 + 24 = 96 with the plan's values).
temp_limit_hours := (lib.param("jcic_temp.days") * 24) + lib.param("jcic_temp.deletion_grace_hours")

# The latest instant at which a record obtained at obtained_at (RFC 3339) may still be deleted.
temp_deadline_ns(obtained_at) := lib.ns(obtained_at) + (temp_limit_hours * lib.ns_per_hour)

# Data still present is reported as due_soon when its deadline is at most this many hours away
# (a fixed window: the whole storage period is only 96 h, so due_soon.days does not fit).
temp_due_soon_hours := 24

# Present at the as-of instant with the deadline passed.
temp_overdue(obtained_at) if lib.as_of_ns > temp_deadline_ns(obtained_at)

# Present at the as-of instant with the deadline coming within temp_due_soon_hours.
temp_due_soon(obtained_at) if {
	d := temp_deadline_ns(obtained_at)
	d >= lib.as_of_ns
	d - lib.as_of_ns <= temp_due_soon_hours * lib.ns_per_hour
}

temp_evidence(r, deleted_at) := {
	"record": r.id,
	"obtained_at": r.obtained_at,
	"deleted_at": deleted_at,
	"deadline": instant(temp_deadline_ns(r.obtained_at)),
	"limit_hours": temp_limit_hours,
	"jcic_temp.days": lib.param("jcic_temp.days"),
	"jcic_temp.deletion_grace_hours": lib.param("jcic_temp.deletion_grace_hours"),
	"as_of": input.as_of,
}

# Every item of temporary data: the record itself and each derived file, with its subject.
temp_items contains {"subject": {"record": r.id}, "record": r, "deleted_at": field(r, "deleted_at"), "what_zh": "暫存資料", "what_en": "temporary data"} if {
	some r in input.jcic_temp_records
}

temp_items contains {"subject": {"record": r.id, "file": df.path}, "record": r, "deleted_at": field(df, "deleted_at"), "what_zh": sprintf("衍生檔案 %s", [df.path]), "what_en": sprintf("derived file %s", [df.path])} if {
	some r in input.jcic_temp_records
	some df in object.get(r, "derived_files", [])
}

# METADATA
# scope: document
# title: JCIC temporary storage deleted within 96 hours
# description: Data JCIC obtains from BLI is stored temporarily for 3 days and deleted, with every derived file, within 24 hours after that (obtained + 96 h at the latest).
# custom:
#   requirement: TEMP-01
#   clause: 四(二)2, 八(三)
#   severity: high
#   title_zh: 聯徵中心暫存資料刪除期限
#   modes: [state]
#   automated: true
#   applies: [M]
temp_01_state contains f if {
	some item in temp_items
	is_string(item.deleted_at)
	lib.ns(item.deleted_at) > temp_deadline_ns(item.record.obtained_at)
	ev := temp_evidence(item.record, item.deleted_at)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		item.subject,
		ev,
		sprintf("%s（紀錄 %s，取得於 %s）於 %s 刪除，逾取得後 %v 小時之期限 %s。", [item.what_zh, item.record.id, item.record.obtained_at, item.deleted_at, ev.limit_hours, ev.deadline]),
		sprintf("The %s of record %s (obtained %s) was deleted at %s, after the %v-hour deadline %s.", [item.what_en, item.record.id, item.record.obtained_at, item.deleted_at, ev.limit_hours, ev.deadline]),
	)
}

temp_01_state contains f if {
	some item in temp_items
	item.deleted_at == null
	temp_overdue(item.record.obtained_at)
	ev := temp_evidence(item.record, null)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		item.subject,
		ev,
		sprintf("%s（紀錄 %s，取得於 %s）至 %s 仍未刪除，已逾取得後 %v 小時之期限 %s。", [item.what_zh, item.record.id, item.record.obtained_at, input.as_of, ev.limit_hours, ev.deadline]),
		sprintf("The %s of record %s (obtained %s) is still present at %s, past the %v-hour deadline %s.", [item.what_en, item.record.id, item.record.obtained_at, input.as_of, ev.limit_hours, ev.deadline]),
	)
}

temp_01_state contains f if {
	some item in temp_items
	item.deleted_at == null
	temp_due_soon(item.record.obtained_at)
	ev := object.union(temp_evidence(item.record, null), {"due_soon_hours": temp_due_soon_hours})
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		item.subject,
		ev,
		sprintf("%s（紀錄 %s，取得於 %s）應於 %s 前刪除。", [item.what_zh, item.record.id, item.record.obtained_at, ev.deadline]),
		sprintf("The %s of record %s (obtained %s) must be deleted by %s.", [item.what_en, item.record.id, item.record.obtained_at, ev.deadline]),
	)
}

temp_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("TEMP-01")
}

# METADATA
# scope: document
# title: JCIC temporary storage period configured within 3 days + 24 hours
# description: A management agency's configuration keeps temporary data at most 3 days and deletes it within 24 hours after that.
# custom:
#   requirement: TEMP-01
#   clause: 四(二)2, 八(三)
#   severity: high
#   title_zh: 聯徵中心暫存資料刪除期限
#   modes: [config]
#   automated: true
#   applies: [M]
temp_01_config contains f if {
	management_agency
	some c in [
		{"key": "jcic_temp_storage.retention_days", "param": "jcic_temp.days", "zh": "暫存天數", "en": "temporary storage days"},
		{"key": "jcic_temp_storage.deletion_grace_hours", "param": "jcic_temp.deletion_grace_hours", "zh": "刪除寬限時數", "en": "deletion grace hours"},
	]
	v := cfg(c.key)
	max_allowed := lib.param(c.param)
	not within_max(v, max_allowed)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": c.key},
		{"key": c.key, "value": v, "max": max_allowed, "parameter": c.param},
		sprintf("%s（%s）設為 %v，應設定且不得超過 %v。", [c.zh, c.key, v, max_allowed]),
		sprintf("The %s (%s) is %v; it must be set and at most %v.", [c.en, c.key, v, max_allowed]),
	)
}

temp_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("TEMP-01")
}

# A configured number no larger than the limit.
within_max(v, limit) if {
	is_number(v)
	v <= limit
}

# A configured number at least the limit.
at_least(v, limit) if {
	is_number(v)
	v >= limit
}

# ---------------------------------------------------------------------------------------------
# DEL-01 — deletion by a designated person or a scheduled job

deletion_ok_performer(d) if d.method == "scheduled_job"

deletion_ok_performer(d) if field(d, "performer_designated") == true

# METADATA
# scope: document
# title: Deletion by a designated person or a scheduled job
# description: Every deletion of the data JCIC obtained is done by a designated person or by a scheduled system job.
# custom:
#   requirement: DEL-01
#   clause: 八(二)1
#   severity: medium
#   title_zh: 指定專人或排程刪除
#   modes: [state]
#   automated: true
#   applies: [M]
del_01_state contains f if {
	some d in input.deletions
	not deletion_ok_performer(d)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"deletion": d.id},
		{"deletion": d.id, "target": d.target, "deleted_at": d.deleted_at, "method": d.method, "performed_by": field(d, "performed_by"), "performer_designated": field(d, "performer_designated")},
		sprintf("刪除作業 %s（%s，%s）由 %v 以 %s 方式執行，非指定專人亦非系統排程。", [d.id, d.target, d.deleted_at, field(d, "performed_by"), d.method]),
		sprintf("Deletion %s (%s, %s) was performed by %v with method %s: neither a designated person nor a scheduled job.", [d.id, d.target, d.deleted_at, field(d, "performed_by"), d.method]),
	)
}

# METADATA
# scope: document
# title: Deletion method configured as a designated person or a scheduled job
# description: A management agency's configuration deletes temporary data by a designated person or a scheduled job.
# custom:
#   requirement: DEL-01
#   clause: 八(二)1
#   severity: medium
#   title_zh: 指定專人或排程刪除
#   modes: [config]
#   automated: true
#   applies: [M]
del_01_config contains f if {
	management_agency
	v := cfg("jcic_temp_storage.deletion.method")
	not v in {"designated_person", "scheduled_job"}
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "jcic_temp_storage.deletion.method"},
		{"key": "jcic_temp_storage.deletion.method", "value": v, "allowed": ["designated_person", "scheduled_job"]},
		sprintf("暫存資料刪除方式（jcic_temp_storage.deletion.method）設為 %v，應為指定專人（designated_person）或系統排程（scheduled_job）。", [v]),
		sprintf("The deletion method (jcic_temp_storage.deletion.method) is %v; it must be designated_person or scheduled_job.", [v]),
	)
}

# ---------------------------------------------------------------------------------------------
# DEL-02 — deletion covers the temporary database and every derived file

# METADATA
# scope: document
# title: Deletion covers the temporary database and all derived files
# description: Every deletion covers the temporary database and all derived files; a temporary record is deleted together with all its derived files.
# custom:
#   requirement: DEL-02
#   clause: 八(二)2
#   severity: high
#   title_zh: 刪除範圍含暫存資料庫及衍生檔案
#   modes: [state]
#   automated: true
#   applies: [M]
del_02_state contains f if {
	some d in input.deletions
	field(d, "covers_derived_files") != true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"deletion": d.id},
		{"deletion": d.id, "target": d.target, "deleted_at": d.deleted_at, "covers_derived_files": field(d, "covers_derived_files")},
		sprintf("刪除作業 %s（%s，%s）未涵蓋相關衍生檔案（covers_derived_files = %v）。", [d.id, d.target, d.deleted_at, field(d, "covers_derived_files")]),
		sprintf("Deletion %s (%s, %s) does not cover the derived files (covers_derived_files = %v).", [d.id, d.target, d.deleted_at, field(d, "covers_derived_files")]),
	)
}

# A temporary record deleted while one of its derived files was not (yet) deleted.
del_02_state contains f if {
	some r in input.jcic_temp_records
	is_string(field(r, "deleted_at"))
	some df in object.get(r, "derived_files", [])
	derived_file_left(r.deleted_at, field(df, "deleted_at"))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"record": r.id, "file": df.path},
		{"record": r.id, "file": df.path, "record_deleted_at": r.deleted_at, "file_deleted_at": field(df, "deleted_at")},
		sprintf("暫存紀錄 %s 於 %s 刪除時，衍生檔案 %s 未一併刪除（%s）。", [r.id, r.deleted_at, df.path, file_state_zh(field(df, "deleted_at"))]),
		sprintf("Temporary record %s was deleted at %s but its derived file %s was not deleted with it (%s).", [r.id, r.deleted_at, df.path, file_state_en(field(df, "deleted_at"))]),
	)
}

# How a derived file's deletion reads in messages.
file_state_zh(null) := "至今仍未刪除"

file_state_zh(t) := sprintf("遲至 %s 始刪除", [t]) if is_string(t)

file_state_en(null) := "it is still present"

file_state_en(t) := sprintf("it was deleted only at %s", [t]) if is_string(t)

derived_file_left(_, null) := true

derived_file_left(record_deleted_at, file_deleted_at) if {
	is_string(file_deleted_at)
	lib.ns(file_deleted_at) > lib.ns(record_deleted_at)
}

# METADATA
# scope: document
# title: Deletion configured to cover all derived files
# description: A management agency's configured deletion covers the temporary database and all derived files.
# custom:
#   requirement: DEL-02
#   clause: 八(二)2
#   severity: high
#   title_zh: 刪除範圍含暫存資料庫及衍生檔案
#   modes: [config]
#   automated: true
#   applies: [M]
del_02_config contains f if {
	management_agency
	v := cfg("jcic_temp_storage.deletion.covers_derived_files")
	v != true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "jcic_temp_storage.deletion.covers_derived_files"},
		{"key": "jcic_temp_storage.deletion.covers_derived_files", "value": v, "required": true},
		sprintf("暫存資料刪除範圍（jcic_temp_storage.deletion.covers_derived_files）設為 %v，應涵蓋所有衍生檔案（true）。", [v]),
		sprintf("The deletion scope (jcic_temp_storage.deletion.covers_derived_files) is %v; it must cover all derived files (true).", [v]),
	)
}

# ---------------------------------------------------------------------------------------------
# DEL-03 — evidence of each deletion, kept at least five years

# METADATA
# scope: document
# title: Deletion evidence kept at least five years
# description: Evidence of each deletion is kept for at least five years after the deletion.
# custom:
#   requirement: DEL-03
#   clause: 八(二)3
#   severity: medium
#   title_zh: 刪除佐證資料保存五年
#   modes: [state]
#   automated: true
#   applies: [M]
del_03_state contains f if {
	some d in input.deletions
	not present_string(field(d, "evidence_ref"))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"deletion": d.id},
		{"deletion": d.id, "target": d.target, "deleted_at": d.deleted_at, "evidence_ref": field(d, "evidence_ref")},
		sprintf("刪除作業 %s（%s，%s）未留存佐證資料。", [d.id, d.target, d.deleted_at]),
		sprintf("Deletion %s (%s, %s) has no evidence kept.", [d.id, d.target, d.deleted_at]),
	)
}

del_03_state contains f if {
	some d in input.deletions
	present_string(field(d, "evidence_ref"))
	is_string(field(d, "evidence_deleted_at"))
	lib.deleted_early(lib.ns(d.deleted_at), lib.ns(d.evidence_deleted_at))
	years := lib.param("retention.years")
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"deletion": d.id},
		{
			"deletion": d.id, "deleted_at": d.deleted_at, "evidence_ref": d.evidence_ref,
			"evidence_deleted_at": d.evidence_deleted_at,
			"kept_until_at_least": instant(lib.retention_end_ns(lib.ns(d.deleted_at))),
			"retention_years": years,
		},
		sprintf("刪除作業 %s 之佐證資料 %s 於 %s 刪除，未滿 %v 年（應保存至 %s）。", [d.id, d.evidence_ref, d.evidence_deleted_at, years, instant(lib.retention_end_ns(lib.ns(d.deleted_at)))]),
		sprintf("The evidence %s of deletion %s was deleted at %s, before its %v-year retention ended (%s).", [d.evidence_ref, d.id, d.evidence_deleted_at, years, instant(lib.retention_end_ns(lib.ns(d.deleted_at)))]),
	)
}

# METADATA
# scope: document
# title: Deletion evidence retention configured at least five years
# description: A management agency's configuration keeps deletion evidence for at least five years.
# custom:
#   requirement: DEL-03
#   clause: 八(二)3
#   severity: medium
#   title_zh: 刪除佐證資料保存五年
#   modes: [config]
#   automated: true
#   applies: [M]
del_03_config contains f if {
	management_agency
	v := cfg("retention.deletion_evidence")
	v != null
	years := lib.param("retention.years")
	not at_least(v, years)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "retention.deletion_evidence"},
		{"key": "retention.deletion_evidence", "value": v, "min": years},
		sprintf("刪除佐證資料保存年限（retention.deletion_evidence）設為 %v，應至少 %v 年。", [v, years]),
		sprintf("Deletion evidence retention (retention.deletion_evidence) is %v years; at least %v are required.", [v, years]),
	)
}

# ---------------------------------------------------------------------------------------------
# DEL-04 — the user unit deletes the data within a month after use, by its written procedure

# The first instant after the last day a record may be deleted on: the Taipei day
# use_completed_on + user_unit.deletion_after_use_days ends.
del_04_deadline_end_ns(d) := lib.date_ns(d.use_completed_on) + ((lib.param("user_unit.deletion_after_use_days") + 1) * lib.ns_per_day)

del_04_evidence(d) := {
	"record": d.id,
	"case_no": d.case_no,
	"use_completed_on": d.use_completed_on,
	"deleted_at": field(d, "deleted_at"),
	"deadline": lib.date_of(del_04_deadline_end_ns(d) - 1),
	"deletion_after_use_days": lib.param("user_unit.deletion_after_use_days"),
}

# Data whose deletion deadline runs: use completed and no need to keep it.
del_04_due(d) if {
	is_string(field(d, "use_completed_on"))
	field(d, "retention_needed") != true
}

# METADATA
# scope: document
# title: User unit deletes the data within a month after use
# description: The user unit deletes the data it obtained within one month after its use is complete and there is no need to keep it, following its own written deletion procedure.
# custom:
#   requirement: DEL-04
#   clause: 八(四)
#   severity: medium
#   title_zh: 使用單位使用完竣後一個月內刪除
#   modes: [state]
#   automated: true
#   applies: [U]
del_04_state contains f if {
	some d in input.user_unit_data
	del_04_due(d)
	is_string(field(d, "deleted_at"))
	lib.ns(d.deleted_at) >= del_04_deadline_end_ns(d)
	ev := del_04_evidence(d)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"record": d.id},
		ev,
		sprintf("案件 %s 之資料 %s 於 %s 使用完竣，至 %s 始刪除，逾 %v 日期限（%s）。", [d.case_no, d.id, d.use_completed_on, d.deleted_at, ev.deletion_after_use_days, ev.deadline]),
		sprintf("Data %s of case %s, used until %s, was deleted at %s, after the %v-day deadline (%s).", [d.id, d.case_no, d.use_completed_on, d.deleted_at, ev.deletion_after_use_days, ev.deadline]),
	)
}

del_04_state contains f if {
	some d in input.user_unit_data
	del_04_due(d)
	field(d, "deleted_at") == null
	lib.as_of_ns >= del_04_deadline_end_ns(d)
	ev := object.union(del_04_evidence(d), {"as_of": input.as_of})
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"record": d.id},
		ev,
		sprintf("案件 %s 之資料 %s 於 %s 使用完竣，至 %s 仍未刪除，已逾 %v 日期限（%s）。", [d.case_no, d.id, d.use_completed_on, input.as_of, ev.deletion_after_use_days, ev.deadline]),
		sprintf("Data %s of case %s, used until %s, is still present at %s, past the %v-day deadline (%s).", [d.id, d.case_no, d.use_completed_on, input.as_of, ev.deletion_after_use_days, ev.deadline]),
	)
}

del_04_state contains f if {
	some d in input.user_unit_data
	del_04_due(d)
	field(d, "deleted_at") == null
	lib.due_soon(del_04_deadline_end_ns(d))
	ev := del_04_evidence(d)
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"record": d.id},
		ev,
		sprintf("案件 %s 之資料 %s 於 %s 使用完竣，應於 %s 前刪除。", [d.case_no, d.id, d.use_completed_on, ev.deadline]),
		sprintf("Data %s of case %s, used until %s, must be deleted by %s.", [d.id, d.case_no, d.use_completed_on, ev.deadline]),
	)
}

# A deletion that followed no written procedure.
del_04_state contains f if {
	some d in input.user_unit_data
	is_string(field(d, "deleted_at"))
	not present_string(field(d, "procedure_ref"))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"record": d.id},
		{"record": d.id, "case_no": d.case_no, "deleted_at": d.deleted_at, "procedure_ref": field(d, "procedure_ref")},
		sprintf("案件 %s 之資料 %s 於 %s 刪除，未依書面刪除程序辦理（無程序依據）。", [d.case_no, d.id, d.deleted_at]),
		sprintf("Data %s of case %s was deleted at %s without reference to a written deletion procedure.", [d.id, d.case_no, d.deleted_at]),
	)
}

del_04_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("DEL-04")
}

# METADATA
# scope: document
# title: User unit's deletion period and written procedure configured
# description: A user unit's configuration deletes the data within one month after use and documents the deletion procedure.
# custom:
#   requirement: DEL-04
#   clause: 八(四)
#   severity: medium
#   title_zh: 使用單位使用完竣後一個月內刪除
#   modes: [config]
#   automated: true
#   applies: [U]
del_04_config contains f if {
	user_unit
	v := cfg("deletion.after_use_days")
	days := lib.param("user_unit.deletion_after_use_days")
	not within_max(v, days)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "deletion.after_use_days"},
		{"key": "deletion.after_use_days", "value": v, "max": days, "parameter": "user_unit.deletion_after_use_days"},
		sprintf("使用完竣後刪除期限（deletion.after_use_days）設為 %v 日，應設定且不得超過 %v 日。", [v, days]),
		sprintf("The deletion period after use (deletion.after_use_days) is %v days; it must be set and at most %v.", [v, days]),
	)
}

del_04_config contains f if {
	user_unit
	v := cfg("deletion.procedure_documented")
	v != true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "deletion.procedure_documented"},
		{"key": "deletion.procedure_documented", "value": v, "required": true},
		sprintf("資料刪除程序（deletion.procedure_documented）設為 %v，應訂有書面刪除程序及期限規範。", [v]),
		sprintf("The deletion procedure (deletion.procedure_documented) is %v; a written deletion procedure is required.", [v]),
	)
}

del_04_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("DEL-04")
}

# ---------------------------------------------------------------------------------------------
# BATCH-01, BATCH-02 — batch transfers

batch_labels := {
	"handler_designated": {"zh": "未由指定專人辦理檔案傳輸", "en": "not handled by a designated person"},
	"integrity_checked": {"zh": "未檢核資料完整性", "en": "no integrity check"},
	"access_controlled": {"zh": "未設定存取權限", "en": "no access permissions set"},
	"approved_period": {"zh": "未設定核准使用期限", "en": "no approved period of use"},
	"used_after_period": {"zh": "於核准期限後仍使用", "en": "used after the approved period"},
	"left_premises": {"zh": "資料攜出辦公場所", "en": "data taken off the premises"},
}

batch_01_problems(b) := [p | some p in ["handler_designated", "integrity_checked"]; field(b, p) != true]

batch_02_problems(b) := [p |
	some p in ["access_controlled", "approved_period", "used_after_period", "left_premises"]
	batch_02_fails(b, p)
]

batch_02_fails(b, "access_controlled") if field(b, "access_controlled") != true

batch_02_fails(b, "approved_period") if not is_string(field(b, "use_until"))

batch_02_fails(b, "used_after_period") if {
	is_string(field(b, "use_until"))
	is_string(field(b, "last_used_at"))
	lib.ns(b.last_used_at) > lib.ns(b.use_until)
}

batch_02_fails(b, "left_premises") if field(b, "left_premises") == true

# The problems, joined for messages.
problems_zh(ps) := concat("、", [batch_labels[p].zh | some p in ps])

problems_en(ps) := concat("; ", [batch_labels[p].en | some p in ps])

# METADATA
# scope: document
# title: Batch transfers by a designated person with an integrity check
# description: Batch file transfers of the data are handled by a designated person, who checks the data's integrity.
# custom:
#   requirement: BATCH-01
#   clause: 六(二)1
#   severity: medium
#   title_zh: 批次檔案傳輸專人辦理及完整性檢核
#   modes: [state]
#   automated: true
#   applies: [M]
batch_01_state contains f if {
	some b in input.batch_transfers
	ps := batch_01_problems(b)
	count(ps) > 0
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"transfer": b.id},
		{
			"transfer": b.id, "transferred_at": b.transferred_at, "handled_by": field(b, "handled_by"),
			"handler_designated": field(b, "handler_designated"), "integrity_checked": field(b, "integrity_checked"),
			"problems": ps,
		},
		sprintf("批次傳輸 %s（%s，經辦 %v）：%s。", [b.id, b.transferred_at, field(b, "handled_by"), problems_zh(ps)]),
		sprintf("Batch transfer %s (%s, handled by %v): %s.", [b.id, b.transferred_at, field(b, "handled_by"), problems_en(ps)]),
	)
}

# METADATA
# scope: document
# title: Loaded batch data access-controlled, used within its approved period, kept on the premises
# description: Batch data loaded into a system has access permissions and an approved period of use; it is used only within that period and never leaves the premises.
# custom:
#   requirement: BATCH-02
#   clause: 六(二)2
#   severity: high
#   title_zh: 批次資料存取權限、核准期限及禁止攜出
#   modes: [state]
#   automated: true
#   applies: [M]
batch_02_state contains f if {
	some b in input.batch_transfers
	ps := batch_02_problems(b)
	count(ps) > 0
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"transfer": b.id},
		{
			"transfer": b.id, "transferred_at": b.transferred_at,
			"access_controlled": field(b, "access_controlled"), "use_until": field(b, "use_until"),
			"last_used_at": field(b, "last_used_at"), "left_premises": field(b, "left_premises"),
			"problems": ps,
		},
		sprintf("批次資料 %s（%s 傳輸，核准期限 %v，最後使用 %v）：%s。", [b.id, b.transferred_at, field(b, "use_until"), field(b, "last_used_at"), problems_zh(ps)]),
		sprintf("Batch data %s (transferred %s, approved until %v, last used %v): %s.", [b.id, b.transferred_at, field(b, "use_until"), field(b, "last_used_at"), problems_en(ps)]),
	)
}

# ---------------------------------------------------------------------------------------------
# BATCH-03 — access and change logs of files and databases holding the data, kept five years

batch_03_applies if management_agency

batch_03_applies if batch_unit

# The earliest instant whose log entries must still be kept at the as-of instant.
batch_03_keep_from_ns := time.add_date(lib.as_of_ns, 0 - lib.param("retention.years"), 0, 0)

# METADATA
# scope: document
# title: Access and change logs of the data kept five years
# description: Access and change logs (logs and audit trails) of the files and databases holding the data are enabled and kept at least five years.
# custom:
#   requirement: BATCH-03
#   clause: 六(二)3, 四(二)5
#   severity: high
#   title_zh: 資料存取及異動紀錄保存五年
#   modes: [state]
#   automated: true
#   applies: [M, B]
batch_03_state contains f if {
	batch_03_applies
	logs := object.get(input, "data_access_logs", {})
	object.get(logs, "enabled", null) != true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"log": "data_access_logs"},
		{"enabled": object.get(logs, "enabled", null)},
		"存放資料之檔案及資料庫未啟用存取及增刪異動紀錄（日誌與軌跡紀錄）。",
		"Access and change logs of the files and databases holding the data are not enabled.",
	)
}

batch_03_state contains f if {
	batch_03_applies
	purged := input.data_access_logs.purged_before
	is_string(purged)
	lib.ns(purged) > batch_03_keep_from_ns
	years := lib.param("retention.years")
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"log": "data_access_logs"},
		{"purged_before": purged, "keep_from": instant(batch_03_keep_from_ns), "retention_years": years, "as_of": input.as_of},
		sprintf("存取及異動紀錄已刪除 %s 之前的部分，未保存自 %s 起至少 %v 年之紀錄。", [purged, instant(batch_03_keep_from_ns), years]),
		sprintf("Access and change log entries before %s were purged; entries since %s must be kept (%v years).", [purged, instant(batch_03_keep_from_ns), years]),
	)
}

# METADATA
# scope: document
# title: Database access logging configured and kept five years
# description: Database audit (access and change logs) is enabled and its retention is at least five years.
# custom:
#   requirement: BATCH-03
#   clause: 六(二)3, 四(二)5
#   severity: high
#   title_zh: 資料存取及異動紀錄保存五年
#   modes: [config]
#   automated: true
#   applies: [M, B]
batch_03_config contains f if {
	batch_03_applies
	v := cfg("database_audit.enabled")
	v != true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "database_audit.enabled"},
		{"key": "database_audit.enabled", "value": v, "required": true},
		sprintf("資料庫存取軌跡紀錄（database_audit.enabled）設為 %v，應啟用。", [v]),
		sprintf("Database access logging (database_audit.enabled) is %v; it must be enabled.", [v]),
	)
}

batch_03_config contains f if {
	batch_03_applies
	some c in [
		{"key": "database_audit.retention_years", "required": true},
		{"key": "retention.data_access_logs", "required": false},
	]
	v := cfg(c.key)
	batch_03_config_checked(v, c.required)
	years := lib.param("retention.years")
	not at_least(v, years)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": c.key},
		{"key": c.key, "value": v, "min": years},
		sprintf("存取及異動紀錄保存年限（%s）設為 %v，應設定且至少 %v 年。", [c.key, v, years]),
		sprintf("The access and change log retention (%s) is %v years; it must be set and at least %v.", [c.key, v, years]),
	)
}

# database_audit.retention_years must be set; retention.data_access_logs is checked when set.
batch_03_config_checked(_, true) := true

batch_03_config_checked(v, false) if v != null

# ---------------------------------------------------------------------------------------------
# SEC-01 — screen lock, log-out, daily shutdown, access-controlled rooms

# METADATA
# scope: document
# title: Screen lock with a password
# description: The user unit's computers used for the data lock the screen with a password.
# custom:
#   requirement: SEC-01
#   clause: 四(二)5
#   severity: medium
#   title_zh: 螢幕保護密碼、登出、關機及門禁
#   modes: [config]
#   automated: true
#   applies: [U]
sec_01_config contains f if {
	user_unit
	some c in [
		{"key": "screen_lock.enabled", "zh": "螢幕保護", "en": "Screen lock"},
		{"key": "screen_lock.password_required", "zh": "螢幕保護密碼", "en": "The screen-lock password"},
	]
	v := cfg(c.key)
	v != true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": c.key},
		{"key": c.key, "value": v, "required": true},
		sprintf("%s（%s）設為 %v，應啟用。", [c.zh, c.key, v]),
		sprintf("%s (%s) is %v; it must be enabled.", [c.en, c.key, v]),
	)
}

# METADATA
# scope: document
# title: Screen lock, log-out, daily shutdown and access-controlled rooms
# description: Screens lock with a password; users log out when leaving; machines are shut down daily; query rooms have access control or monitoring. The documents cannot show these physical controls, so a responsible person attests to them.
# custom:
#   requirement: SEC-01
#   clause: 四(二)5
#   severity: medium
#   title_zh: 螢幕保護密碼、登出、關機及門禁
#   modes: [state]
#   automated: false
#   applies: [U]
sec_01_state contains f if {
	user_unit
	some f in lib.attestation_findings(rego.metadata.chain(), "SEC-01")
}
