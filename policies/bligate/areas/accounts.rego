# METADATA
# title: Accounts and people (帳號與人員)
# description: |
#   STAFF-01, STAFF-02, STAFF-03, SOD-01, PWD-01, PWD-02, PWD-03, PWD-04, LOCK-01, ACCT-01,
#   ACCT-02, ADMIN-01, CARD-01, REVIEW-01, NOTIFY-01 (plan 五).
package bligate.areas.accounts

import data.bligate.lib

config_findings contains f if some f in pwd_01_config

config_findings contains f if some f in pwd_02_config

config_findings contains f if some f in pwd_03_config

config_findings contains f if some f in lock_01_config

config_findings contains f if some f in review_01_config

config_findings contains f if some f in notify_01_config

state_findings contains f if some f in staff_01_state

state_findings contains f if some f in staff_02_state

state_findings contains f if some f in staff_03_state

state_findings contains f if some f in sod_01_state

state_findings contains f if some f in pwd_01_state

state_findings contains f if some f in pwd_02_state

state_findings contains f if some f in pwd_03_state

state_findings contains f if some f in pwd_04_state

state_findings contains f if some f in lock_01_state

state_findings contains f if some f in acct_01_state

state_findings contains f if some f in acct_02_state

state_findings contains f if some f in admin_01_state

state_findings contains f if some f in card_01_state

state_findings contains f if some f in review_01_state

state_findings contains f if some f in notify_01_state

broker_denials contains d if some d in staff_01_broker

broker_denials contains d if some d in acct_01_broker

broker_denials contains d if some d in acct_02_broker

broker_denials contains d if some d in lock_01_broker

broker_denials contains d if some d in pwd_02_broker

# ---------------------------------------------------------------------------------------------
# Helpers of this area

# Applicability: U = user unit, B = batch/server user unit, M = management agency (JCIC).
role := object.get(input, ["institution", "role"], null)

is_user_unit if role == "user_unit"

is_batch_unit if {
	is_user_unit
	input.institution.batch_server == true
}

is_management_agency if role == "management_agency"

account_records := object.get(input, "accounts", [])

staff_records := object.get(input, "staff", [])

# The staff record with the given id.
staff_by_id(id) := s if {
	some s in staff_records
	s.id == id
}

# Kinds of account used to run queries.
query_kinds := {"query"}

# The account may still log in: `can_login` when the document gives it, else enabled and not locked.
may_log_in(a) if a.can_login == true

may_log_in(a) if {
	object.get(a, "can_login", null) == null
	a.enabled == true
	object.get(a, "locked", false) != true
}

# An optional string field (null when absent or null).
opt(obj, key) := object.get(obj, key, null)

# An RFC 3339 instant in Taipei, for evidence.
instant(n) := time.format([n, lib.tz, "2006-01-02T15:04:05Z07:00"])

# The first instant after the Taipei calendar date d ("no later than d" means before this).
day_after_ns(d) := lib.date_ns(d) + lib.ns_per_day

# A Taipei date d plus n days, as "YYYY-MM-DD".
date_plus(d, n) := lib.date_of(lib.date_ns(d) + (n * lib.ns_per_day))

# The effective date of a staff member's leaving or transfer: the earlier of the two given.
leaving_dates(s) := {d | some k in ["left_on", "transferred_on"]; d := opt(s, k); is_string(d)}

leaving_date(s) := min(ds) if {
	ds := leaving_dates(s)
	count(ds) > 0
}

# The staff member has left or been transferred at the as-of instant (after the effective date).
has_left(s) if lib.ended(day_after_ns(leaving_date(s)))

# A number at least m.
at_least(v, m) if {
	is_number(v)
	v >= m
}

# A number at most m and greater than zero.
positive_at_most(v, m) if {
	is_number(v)
	v > 0
	v <= m
}

due_soon_window_ns := lib.param("due_soon.days") * lib.ns_per_day

# ---------------------------------------------------------------------------------------------
# STAFF-01 — only designated staff query

designated(id) if staff_by_id(id).designated == true

# The designation flag of a staff member (null when no staff record exists).
designation_of(id) := object.get(staff_by_id(id), "designated", null) if {
	staff_by_id(id)
} else := null

# METADATA
# scope: document
# title: Only designated staff query
# description: Query accounts belong to staff designated by the unit head; accounts of undesignated staff must not be able to query.
# custom:
#   requirement: STAFF-01
#   clause: 五(一)1
#   severity: high
#   title_zh: 查詢人員應經主管指定
#   modes: [state]
#   automated: true
#   applies: [U]
staff_01_state contains f if {
	some a in account_records
	a.kind in query_kinds
	a.enabled == true
	is_string(opt(a, "staff_id"))
	not designated(a.staff_id)
	s := designation_of(a.staff_id)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id, "staff": a.staff_id},
		{"account": a.id, "staff": a.staff_id, "designated": s, "enabled": true},
		sprintf("查詢帳號 %s 屬於未經單位主管指定之人員 %s，仍為啟用狀態。", [a.id, a.staff_id]),
		sprintf("Query account %s belongs to %s, who is not designated by the unit head, and is still enabled.", [a.id, a.staff_id]),
	)
}

# METADATA
# scope: document
# title: Only designated staff query
# description: A query request by staff who are not designated (or unknown) is denied.
# custom:
#   requirement: STAFF-01
#   clause: 五(一)1
#   severity: high
#   title_zh: 查詢人員應經主管指定
#   modes: [broker]
#   automated: true
#   applies: [U]
staff_01_broker contains f if {
	object.get(input, "staff", null) == null
	f := lib.finding(
		rego.metadata.chain(), "violation",
		broker_subject,
		{"staff": null, "staff_id": opt(input.request, "staff_id")},
		sprintf("查詢請求 %s 無法確認查詢人員，未經指定者不得查詢。", [input.request.id]),
		sprintf("Request %s has no known staff member; only designated staff may query.", [input.request.id]),
	)
}

staff_01_broker contains f if {
	s := input.staff
	is_object(s)
	object.get(s, "designated", false) != true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		object.union(broker_subject, {"staff": s.id}),
		{"staff": s.id, "designated": object.get(s, "designated", null)},
		sprintf("查詢人員 %s 未經單位主管指定，拒絕查詢請求 %s。", [s.id, input.request.id]),
		sprintf("Staff member %s is not designated by the unit head; request %s is denied.", [s.id, input.request.id]),
	)
}

broker_subject := {"request": input.request.id, "account": input.request.account_id}

# ---------------------------------------------------------------------------------------------
# STAFF-02 — register of query staff

# Register fields each query staff member needs.
register_fields := ["name", "title", "duty_from", "id_number", "designation_approved_by", "designation_approved_at"]

is_query_staff(s) if s.designated == true

is_query_staff(s) if "query" in object.get(s, "roles", [])

missing_register_fields(s) := [k | some k in register_fields; not filled(opt(s, k))]

# The duty period is closed once the staff member left or was transferred.
missing_register_fields_left(s) := ["duty_to"] if {
	has_left(s)
	not filled(opt(s, "duty_to"))
} else := []

filled(v) if {
	is_string(v)
	v != ""
}

# The end of a staff member's duty (Taipei date), when known.
duty_end(s) := s.duty_to if {
	filled(opt(s, "duty_to"))
} else := leaving_date(s)

duty_end_or_null(s) := d if {
	d := duty_end(s)
} else := null

# METADATA
# scope: document
# title: Register of query staff
# description: Query staff are registered with name, title, duty period, identification card number or account, and the unit head's approval; the register is kept 5 years.
# custom:
#   requirement: STAFF-02
#   clause: 五(一)2
#   severity: medium
#   title_zh: 查詢人員登記簿
#   modes: [state]
#   automated: true
#   applies: [U]
staff_02_state contains f if {
	is_user_unit
	some s in staff_records
	is_query_staff(s)
	opt(s, "register_deleted_at") == null
	missing := array.concat(missing_register_fields(s), missing_register_fields_left(s))
	count(missing) > 0
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"staff": s.id},
		{"staff": s.id, "missing": missing, "required": array.concat(register_fields, ["duty_to (after leaving)"])},
		sprintf("查詢人員 %s 之登記簿缺少欄位：%s。", [s.id, concat(", ", missing)]),
		sprintf("The register entry of query staff member %s lacks: %s.", [s.id, concat(", ", missing)]),
	)
}

# Register entries are kept five years after the duty ended.
staff_02_state contains f if {
	some s in staff_records
	deleted := opt(s, "register_deleted_at")
	is_string(deleted)
	not kept_five_years_after_duty(s, deleted)
	ended := duty_end_or_null(s)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"staff": s.id},
		{"staff": s.id, "register_deleted_at": deleted, "duty_end": duty_end_or_null(s), "retention_years": lib.param("retention.years")},
		sprintf("查詢人員 %s 之登記簿於 %s 刪除，未滿任期結束（%v）後 %d 年之保存期限。", [s.id, deleted, ended, lib.param("retention.years")]),
		sprintf("The register entry of %s was deleted on %s, before %d years after the duty ended (%v).", [s.id, deleted, lib.param("retention.years"), ended]),
	)
}

# Deleted at least five years after the duty ended (never while the duty has no end).
kept_five_years_after_duty(s, deleted) if {
	end := duty_end(s)
	not lib.deleted_early(lib.date_ns(end), lib.ns(deleted))
}

# ---------------------------------------------------------------------------------------------
# STAFF-03 — authorisation change log (batch/server units)

authorisation_changes := object.get(input, "authorisation_changes", [])

has_grant(account_id) if {
	some c in authorisation_changes
	c.account_id == account_id
	c.change == "grant"
}

# METADATA
# scope: document
# title: Authorisation change log
# description: Batch/server units record every authorisation change of the query accounts (授權異動明細紀錄表) and keep the last 5 years.
# custom:
#   requirement: STAFF-03
#   clause: 五(一)1
#   severity: medium
#   title_zh: 授權異動明細紀錄
#   modes: [state]
#   automated: true
#   applies: [B]
staff_03_state contains f if {
	is_batch_unit
	some a in account_records
	a.kind in query_kinds
	not has_grant(a.id)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "grant_records": 0},
		sprintf("查詢帳號 %s 無授權異動紀錄（授權）。", [a.id]),
		sprintf("Query account %s has no authorisation change record granting it.", [a.id]),
	)
}

staff_03_state contains f if {
	some c in authorisation_changes
	is_string(opt(c, "deleted_at"))
	lib.deleted_early(lib.ns(c.changed_at), lib.ns(c.deleted_at))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": c.account_id, "record": c.id},
		{"changed_at": c.changed_at, "deleted_at": c.deleted_at, "retention_years": lib.param("retention.years")},
		sprintf("授權異動紀錄 %s 於 %s 刪除，未滿 %d 年保存期限。", [c.id, c.deleted_at, lib.param("retention.years")]),
		sprintf("Authorisation change record %s was deleted on %s, before its %d-year retention ended.", [c.id, c.deleted_at, lib.param("retention.years")]),
	)
}

# ---------------------------------------------------------------------------------------------
# SOD-01 — segregation of duties

# METADATA
# scope: document
# title: Segregation of query, review and custody duties
# description: Nobody both queries and samples query records, and a chip card and its PIN are not kept by the same person.
# custom:
#   requirement: SOD-01
#   clause: 五(一)3
#   severity: high
#   title_zh: 職務分工符合內部控制
#   modes: [state]
#   automated: true
#   applies: [U]
sod_01_state contains f if {
	some c in object.get(input, "chip_cards", [])
	is_string(opt(c, "card_custodian"))
	c.card_custodian == opt(c, "pin_custodian")
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"card": c.id, "staff": c.card_custodian},
		{"card": c.id, "card_custodian": c.card_custodian, "pin_custodian": c.pin_custodian},
		sprintf("晶片卡 %s 與其查詢密碼皆由 %s 保管。", [c.id, c.card_custodian]),
		sprintf("Chip card %s and its PIN are both kept by %s.", [c.id, c.card_custodian]),
	)
}

sod_01_state contains f if {
	some s in staff_records
	roles := object.get(s, "roles", [])
	"query" in roles
	"sampling" in roles
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"staff": s.id},
		{"staff": s.id, "roles": roles, "conflicting": ["query", "sampling"]},
		sprintf("人員 %s 同時擔任查詢及抽查查詢紀錄之職務。", [s.id]),
		sprintf("Staff member %s both runs queries and samples the query records.", [s.id]),
	)
}

# ---------------------------------------------------------------------------------------------
# PWD-01 — password length and complexity (batch/server units)

# METADATA
# scope: document
# title: Password length and complexity
# description: Batch/server units require passwords of at least 8 characters mixing digits, upper case, lower case and special symbols.
# custom:
#   requirement: PWD-01
#   clause: 五(一)4
#   severity: high
#   title_zh: 密碼長度及複雜度
#   modes: [config]
#   automated: true
#   applies: [B]
pwd_01_config contains f if {
	is_batch_unit
	v := object.get(input, ["password", "min_length"], null)
	required := lib.param("password.min_length")
	not at_least(v, required)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "password.min_length"},
		{"min_length": v, "required": required},
		sprintf("密碼最短長度設定為 %v，應至少 %d 個字元。", [v, required]),
		sprintf("The minimum password length is %v; at least %d characters are required.", [v, required]),
	)
}

pwd_01_config contains f if {
	is_batch_unit
	v := object.get(input, ["password", "require_classes"], [])
	required := lib.param("password.classes")
	missing := [c | some c in required; not class_required(v, c)]
	count(missing) > 0
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "password.require_classes"},
		{"require_classes": v, "required": required, "missing": missing},
		sprintf("密碼複雜度未要求：%s（應混合數字、英文大小寫及特殊符號）。", [concat(", ", missing)]),
		sprintf("Password complexity does not require: %s (digits, upper case, lower case and symbols are all required).", [concat(", ", missing)]),
	)
}

class_required(v, c) if c in v

pwd_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("PWD-01")
}

# METADATA
# scope: document
# title: Password length and complexity
# description: Passwords of accounts that can log in at batch/server units met the length and complexity rules when set.
# custom:
#   requirement: PWD-01
#   clause: 五(一)4
#   severity: high
#   title_zh: 密碼長度及複雜度
#   modes: [state]
#   automated: true
#   applies: [B]
pwd_01_state contains f if {
	is_batch_unit
	some a in account_records
	may_log_in(a)
	a.password_complexity_ok == false
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "password_complexity_ok": false, "required_classes": lib.param("password.classes")},
		sprintf("帳號 %s 之密碼不符複雜度要求（數字、英文大小寫及特殊符號混合）。", [a.id]),
		sprintf("The password of account %s does not mix digits, upper case, lower case and symbols.", [a.id]),
	)
}

pwd_01_state contains f if {
	is_batch_unit
	some a in account_records
	may_log_in(a)
	n := a.password_length
	is_number(n)
	required := lib.param("password.min_length")
	n < required
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "password_length": n, "min_length": required},
		sprintf("帳號 %s 之密碼長度 %d，少於 %d 個字元。", [a.id, n, required]),
		sprintf("The password of account %s has %d characters, fewer than %d.", [a.id, n, required]),
	)
}

pwd_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("PWD-01")
}

# ---------------------------------------------------------------------------------------------
# PWD-02 — password expiry (batch/server units)

max_age_days := lib.param("password.max_age_days")

# The instant the account's password was set (the account's creation when no change is recorded).
password_base(a) := a.password_set_at if {
	is_string(opt(a, "password_set_at"))
} else := a.created_at if {
	is_string(opt(a, "created_at"))
}

password_expires_ns(a) := lib.ns(password_base(a)) + (max_age_days * lib.ns_per_day)

password_expired(a) if lib.as_of_ns > password_expires_ns(a)

pwd_02_evidence(a) := {
	"account": a.id,
	"password_set_at": password_base(a),
	"expires_at": instant(password_expires_ns(a)),
	"age_days": floor((lib.as_of_ns - lib.ns(password_base(a))) / lib.ns_per_day),
	"max_age_days": max_age_days,
}

# METADATA
# scope: document
# title: Password expiry
# description: Batch/server units force a password change every 90 days.
# custom:
#   requirement: PWD-02
#   clause: 五(一)4
#   severity: high
#   title_zh: 密碼每九十天強制更新
#   modes: [config]
#   automated: true
#   applies: [B]
pwd_02_config contains f if {
	is_batch_unit
	v := object.get(input, ["password", "max_age_days"], null)
	required := lib.param("password.max_age_days")
	not positive_at_most(v, required)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "password.max_age_days"},
		{"max_age_days": v, "required": required},
		sprintf("密碼有效期限設定為 %v 天，應設定且不超過 %d 天。", [v, required]),
		sprintf("The password maximum age is %v days; it must be set and at most %d days.", [v, required]),
	)
}

pwd_02_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("PWD-02")
}

# METADATA
# scope: document
# title: Password expiry
# description: At batch/server units no account that can log in has a password older than 90 days.
# custom:
#   requirement: PWD-02
#   clause: 五(一)4
#   severity: high
#   title_zh: 密碼每九十天強制更新
#   modes: [state]
#   automated: true
#   applies: [B]
pwd_02_state contains f if {
	is_batch_unit
	some a in account_records
	may_log_in(a)
	password_expired(a)
	ev := pwd_02_evidence(a)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		ev,
		sprintf("帳號 %s 之密碼設定於 %s，已逾 %d 天未更新（%s 到期）。", [a.id, ev.password_set_at, max_age_days, ev.expires_at]),
		sprintf("The password of account %s was set at %s and expired at %s (older than %d days).", [a.id, ev.password_set_at, ev.expires_at, max_age_days]),
	)
}

pwd_02_state contains f if {
	is_batch_unit
	some a in account_records
	may_log_in(a)
	exp := password_expires_ns(a)
	exp >= lib.as_of_ns
	exp - lib.as_of_ns <= due_soon_window_ns
	ev := pwd_02_evidence(a)
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"account": a.id},
		ev,
		sprintf("帳號 %s 之密碼將於 %s 到期，請更新。", [a.id, ev.expires_at]),
		sprintf("The password of account %s expires at %s; change it.", [a.id, ev.expires_at]),
	)
}

pwd_02_state contains f if {
	is_batch_unit
	some a in account_records
	may_log_in(a)
	not password_base(a)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "password_set_at": null, "created_at": null, "max_age_days": max_age_days},
		sprintf("帳號 %s 無密碼設定時間紀錄，無法確認 %d 天內已更新。", [a.id, max_age_days]),
		sprintf("Account %s has no record of when its password was set; a change within %d days cannot be shown.", [a.id, max_age_days]),
	)
}

pwd_02_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("PWD-02")
}

# METADATA
# scope: document
# title: Password expiry
# description: At batch/server units a request from an account whose password is older than 90 days is denied.
# custom:
#   requirement: PWD-02
#   clause: 五(一)4
#   severity: high
#   title_zh: 密碼每九十天強制更新
#   modes: [broker]
#   automated: true
#   applies: [B]
pwd_02_broker contains f if {
	is_batch_unit
	a := input.account
	is_object(a)
	password_expired(a)
	ev := pwd_02_evidence(a)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		broker_subject,
		ev,
		sprintf("帳號 %s 之密碼已於 %s 到期，拒絕查詢。", [a.id, ev.expires_at]),
		sprintf("The password of account %s expired at %s; the request is denied.", [a.id, ev.expires_at]),
	)
}

# ---------------------------------------------------------------------------------------------
# PWD-03 — password history (batch/server units)

# METADATA
# scope: document
# title: Password history
# description: Batch/server units reject a new password equal to any of the last 3.
# custom:
#   requirement: PWD-03
#   clause: 五(一)4
#   severity: medium
#   title_zh: 密碼不得與前三次相同
#   modes: [config]
#   automated: true
#   applies: [B]
pwd_03_config contains f if {
	is_batch_unit
	v := object.get(input, ["password", "history"], null)
	required := lib.param("password.history")
	not at_least(v, required)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "password.history"},
		{"history": v, "required": required},
		sprintf("密碼歷程設定為 %v，新密碼應至少不得與前 %d 次相同。", [v, required]),
		sprintf("Password history is %v; a new password must differ from at least the last %d.", [v, required]),
	)
}

pwd_03_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("PWD-03")
}

# METADATA
# scope: document
# title: Password history
# description: At batch/server units no account that can log in uses a password equal to one of its last 3.
# custom:
#   requirement: PWD-03
#   clause: 五(一)4
#   severity: medium
#   title_zh: 密碼不得與前三次相同
#   modes: [state]
#   automated: true
#   applies: [B]
pwd_03_state contains f if {
	is_batch_unit
	some a in account_records
	may_log_in(a)
	a.password_reused_recent == true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "password_reused_recent": true, "history": lib.param("password.history")},
		sprintf("帳號 %s 之現行密碼與前 %d 次使用過之密碼相同。", [a.id, lib.param("password.history")]),
		sprintf("The current password of account %s equals one of its last %d passwords.", [a.id, lib.param("password.history")]),
	)
}

pwd_03_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("PWD-03")
}

# ---------------------------------------------------------------------------------------------
# PWD-04 — suspected leak

changed_after_leak(a) if lib.ns(a.password_set_at) > lib.ns(a.suspected_leak_at)

# METADATA
# scope: document
# title: Change a password suspected leaked
# description: A password suspected leaked is changed immediately; an enabled account whose password was not changed after the suspicion is a violation.
# custom:
#   requirement: PWD-04
#   clause: 五(一)7
#   severity: high
#   title_zh: 疑似外洩密碼應立即變更
#   modes: [state]
#   automated: true
#   applies: [U]
pwd_04_state contains f if {
	some a in account_records
	a.enabled == true
	is_string(opt(a, "suspected_leak_at"))
	not changed_after_leak(a)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "suspected_leak_at": a.suspected_leak_at, "password_set_at": opt(a, "password_set_at")},
		sprintf("帳號 %s 於 %s 疑似密碼外洩，之後未變更密碼（最近設定：%v）。", [a.id, a.suspected_leak_at, opt(a, "password_set_at")]),
		sprintf("The password of account %s was suspected leaked at %s and not changed since (last set: %v).", [a.id, a.suspected_leak_at, opt(a, "password_set_at")]),
	)
}

# ---------------------------------------------------------------------------------------------
# LOCK-01 — failed-login lockout

# An override of the institution-defined threshold that is not a positive number.
invalid_lockout_override := v if {
	v := lib.overrides["lockout.max_failed_attempts"]
	not positive(v)
}

positive(v) if {
	is_number(v)
	v > 0
}

# The threshold in force: the institution's positive value, else the project's default.
lockout_threshold := t if {
	t := lib.param("lockout.max_failed_attempts")
	positive(t)
} else := lib.plan_value("lockout.max_failed_attempts")

lockout_override_finding(chain) := lib.institution_defined(
	lib.finding(
		chain, "violation",
		{"key": "parameters.lockout.max_failed_attempts", "parameter": "lockout.max_failed_attempts"},
		{"parameter": "lockout.max_failed_attempts", "override": invalid_lockout_override, "default": lib.plan_value("lockout.max_failed_attempts")},
		sprintf("參數 lockout.max_failed_attempts 設為 %v，應為大於 0 之次數。", [invalid_lockout_override]),
		sprintf("Parameter lockout.max_failed_attempts is %v; it must be a number of attempts greater than 0.", [invalid_lockout_override]),
	),
	["lockout.max_failed_attempts"],
)

# METADATA
# scope: document
# title: Failed-login lockout and unlock procedure
# description: The query system limits consecutive failed logins (an institution-defined number greater than 0) and has a defined unlock procedure.
# custom:
#   requirement: LOCK-01
#   clause: 五(一)5
#   severity: high
#   title_zh: 登入失敗鎖定及解鎖機制
#   modes: [config]
#   automated: true
#   applies: [U]
lock_01_config contains lib.institution_defined(f, ["lockout.max_failed_attempts"]) if {
	is_user_unit
	v := object.get(input, ["lockout", "max_failed_attempts"], null)
	not positive(v)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "lockout.max_failed_attempts"},
		{"max_failed_attempts": v, "required": "set, > 0"},
		sprintf("連續登入失敗上限設定為 %v，應設定且大於 0。", [v]),
		sprintf("The consecutive failed-login limit is %v; it must be set and greater than 0.", [v]),
	)
}

lock_01_config contains f if {
	is_user_unit
	v := object.get(input, ["lockout", "unlock_procedure"], null)
	not v in {"admin_reset_with_identity_check", "timed"}
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "lockout.unlock_procedure"},
		{"unlock_procedure": v, "allowed": ["admin_reset_with_identity_check", "timed"]},
		sprintf("未訂定帳號鎖定之解除機制（unlock_procedure：%v）。", [v]),
		sprintf("No unlock procedure for locked accounts is defined (unlock_procedure: %v).", [v]),
	)
}

lock_01_config contains f if {
	is_user_unit
	input.lockout.unlock_procedure == "timed"
	v := object.get(input, ["lockout", "unlock_after_minutes"], null)
	not positive(v)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "lockout.unlock_after_minutes"},
		{"unlock_procedure": "timed", "unlock_after_minutes": v},
		sprintf("定時解鎖未設定解鎖時間（unlock_after_minutes：%v）。", [v]),
		sprintf("A timed unlock has no unlock time (unlock_after_minutes: %v).", [v]),
	)
}

# lockout.max_failed_attempts is institution-defined (any value accepted by lib.param), so no
# override is "weaker"; an override that is not a positive number is the violation instead.
lock_01_config contains lockout_override_finding(rego.metadata.chain()) if invalid_lockout_override

# METADATA
# scope: document
# title: Failed-login lockout and unlock procedure
# description: An account that reached the institution's failed-login limit is locked.
# custom:
#   requirement: LOCK-01
#   clause: 五(一)5
#   severity: high
#   title_zh: 登入失敗鎖定及解鎖機制
#   modes: [state]
#   automated: true
#   applies: [U]
lock_01_state contains lib.institution_defined(f, ["lockout.max_failed_attempts"]) if {
	some a in account_records
	may_log_in(a)
	n := a.failed_attempts
	n >= lockout_threshold
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "failed_attempts": n, "max_failed_attempts": lockout_threshold, "locked": object.get(a, "locked", null)},
		sprintf("帳號 %s 連續登入失敗 %d 次（上限 %d），仍未鎖定。", [a.id, n, lockout_threshold]),
		sprintf("Account %s has %d consecutive failed logins (limit %d) and is not locked.", [a.id, n, lockout_threshold]),
	)
}

# lockout.max_failed_attempts is institution-defined (any value accepted by lib.param), so no
# override is "weaker"; an override that is not a positive number is the violation instead.
lock_01_state contains lockout_override_finding(rego.metadata.chain()) if invalid_lockout_override

# METADATA
# scope: document
# title: Failed-login lockout and unlock procedure
# description: A request from a locked account is denied.
# custom:
#   requirement: LOCK-01
#   clause: 五(一)5
#   severity: high
#   title_zh: 登入失敗鎖定及解鎖機制
#   modes: [broker]
#   automated: true
#   applies: [U]
lock_01_broker contains f if {
	input.account.locked == true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		broker_subject,
		{"account": input.account.id, "locked": true},
		sprintf("帳號 %s 已鎖定，拒絕查詢。", [input.account.id]),
		sprintf("Account %s is locked; the request is denied.", [input.account.id]),
	)
}

# ---------------------------------------------------------------------------------------------
# ACCT-01 — individual accounts

# A query staff member still on duty.
on_duty_query_staff(s) if {
	s.designated == true
	"query" in object.get(s, "roles", [])
	not has_left(s)
}

has_individual_account(id) if {
	some a in account_records
	a.staff_id == id
	a.kind in query_kinds
	object.get(a, "shared", false) != true
}

# METADATA
# scope: document
# title: Individual accounts
# description: Each query staff member has an individual account; no account is shared, borrowed or lent.
# custom:
#   requirement: ACCT-01
#   clause: 五(一)6
#   severity: high
#   title_zh: 每位查詢人員獨立帳號
#   modes: [state]
#   automated: true
#   applies: [U]
acct_01_state contains f if {
	some a in account_records
	a.kind in query_kinds
	a.enabled == true
	a.shared == true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "kind": a.kind, "shared": true},
		sprintf("查詢帳號 %s 由多人共用。", [a.id]),
		sprintf("Query account %s is shared by more than one person.", [a.id]),
	)
}

acct_01_state contains f if {
	some a in account_records
	a.kind in query_kinds
	a.enabled == true
	opt(a, "staff_id") == null
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "kind": a.kind, "staff_id": null},
		sprintf("查詢帳號 %s 未配賦予特定人員。", [a.id]),
		sprintf("Query account %s is not assigned to an individual.", [a.id]),
	)
}

acct_01_state contains f if {
	is_user_unit
	some s in staff_records
	on_duty_query_staff(s)
	not has_individual_account(s.id)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"staff": s.id},
		{"staff": s.id, "individual_accounts": 0},
		sprintf("查詢人員 %s 無個人專屬之查詢帳號。", [s.id]),
		sprintf("Query staff member %s has no individual query account.", [s.id]),
	)
}

# METADATA
# scope: document
# title: Individual accounts
# description: A request from an unknown, shared or borrowed account is denied.
# custom:
#   requirement: ACCT-01
#   clause: 五(一)6
#   severity: high
#   title_zh: 每位查詢人員獨立帳號
#   modes: [broker]
#   automated: true
#   applies: [U]
acct_01_broker contains f if {
	object.get(input, "account", null) == null
	f := lib.finding(
		rego.metadata.chain(), "violation",
		broker_subject,
		{"account": input.request.account_id, "found": false},
		sprintf("查詢帳號 %s 不存在，拒絕查詢。", [input.request.account_id]),
		sprintf("Account %s is unknown; the request is denied.", [input.request.account_id]),
	)
}

acct_01_broker contains f if {
	input.account.shared == true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		broker_subject,
		{"account": input.account.id, "shared": true},
		sprintf("帳號 %s 為共用帳號，拒絕查詢。", [input.account.id]),
		sprintf("Account %s is shared; the request is denied.", [input.account.id]),
	)
}

acct_01_broker contains f if {
	holder := input.account.staff_id
	user := input.request.staff_id
	is_string(holder)
	is_string(user)
	holder != user
	f := lib.finding(
		rego.metadata.chain(), "violation",
		object.union(broker_subject, {"staff": user}),
		{"account": input.account.id, "account_holder": holder, "requested_by": user},
		sprintf("%s 使用 %s 之帳號 %s，不得使用他人帳號，拒絕查詢。", [user, holder, input.account.id]),
		sprintf("%s is using account %s of %s; borrowed accounts are not allowed and the request is denied.", [user, input.account.id, holder]),
	)
}

# ---------------------------------------------------------------------------------------------
# ACCT-02 — accounts of staff who leave or transfer

acct_02_evidence(a, s) := {
	"account": a.id,
	"staff": s.id,
	"left_on": opt(s, "left_on"),
	"transferred_on": opt(s, "transferred_on"),
	"effective_date": leaving_date(s),
	"enabled": a.enabled,
	"disabled_at": opt(a, "disabled_at"),
}

# METADATA
# scope: document
# title: Disable accounts of staff who leave or transfer
# description: When staff leave or transfer, their accounts and permissions are removed or disabled no later than the effective date (Taipei).
# custom:
#   requirement: ACCT-02
#   clause: 五(一)9
#   severity: high
#   title_zh: 離調職帳號停用
#   modes: [state]
#   automated: true
#   applies: [U]
acct_02_state contains f if {
	some a in account_records
	s := staff_by_id(a.staff_id)
	eff := leaving_date(s)
	a.enabled == false
	disabled := opt(a, "disabled_at")
	is_string(disabled)
	lib.ns(disabled) >= day_after_ns(eff)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id, "staff": s.id},
		acct_02_evidence(a, s),
		sprintf("%s 之離(調)職生效日為 %s，帳號 %s 遲至 %s 始停用。", [s.id, eff, a.id, disabled]),
		sprintf("%s left or transferred effective %s, but account %s was only disabled at %s.", [s.id, eff, a.id, disabled]),
	)
}

acct_02_state contains f if {
	some a in account_records
	s := staff_by_id(a.staff_id)
	eff := leaving_date(s)
	a.enabled == true
	lib.ended(day_after_ns(eff))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id, "staff": s.id},
		acct_02_evidence(a, s),
		sprintf("%s 之離(調)職生效日為 %s，帳號 %s 於 %s 仍為啟用狀態。", [s.id, eff, a.id, input.as_of]),
		sprintf("%s left or transferred effective %s, but account %s is still enabled at %s.", [s.id, eff, a.id, input.as_of]),
	)
}

acct_02_state contains f if {
	some a in account_records
	s := staff_by_id(a.staff_id)
	eff := leaving_date(s)
	a.enabled == true
	lib.due_soon(day_after_ns(eff))
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"account": a.id, "staff": s.id},
		acct_02_evidence(a, s),
		sprintf("%s 將於 %s 離(調)職，帳號 %s 應至遲於當日停用。", [s.id, eff, a.id]),
		sprintf("%s leaves or transfers effective %s; account %s must be disabled by that day.", [s.id, eff, a.id]),
	)
}

# METADATA
# scope: document
# title: Disable accounts of staff who leave or transfer
# description: A request from a disabled account, or by staff who have left or transferred, is denied.
# custom:
#   requirement: ACCT-02
#   clause: 五(一)9
#   severity: high
#   title_zh: 離調職帳號停用
#   modes: [broker]
#   automated: true
#   applies: [U]
acct_02_broker contains f if {
	input.account.enabled == false
	f := lib.finding(
		rego.metadata.chain(), "violation",
		broker_subject,
		{"account": input.account.id, "enabled": false},
		sprintf("帳號 %s 已停用，拒絕查詢。", [input.account.id]),
		sprintf("Account %s is disabled; the request is denied.", [input.account.id]),
	)
}

acct_02_broker contains f if {
	a := input.account
	a.can_login == false
	object.get(a, "enabled", true) != false
	object.get(a, "locked", false) != true
	f := lib.finding(
		rego.metadata.chain(), "violation",
		broker_subject,
		{"account": a.id, "can_login": false},
		sprintf("帳號 %s 不得登入，拒絕查詢。", [a.id]),
		sprintf("Account %s may not log in; the request is denied.", [a.id]),
	)
}

acct_02_broker contains f if {
	s := input.staff
	is_object(s)
	has_left(s)
	eff := leaving_date(s)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		object.union(broker_subject, {"staff": s.id}),
		{"staff": s.id, "left_on": opt(s, "left_on"), "transferred_on": opt(s, "transferred_on"), "effective_date": eff},
		sprintf("查詢人員 %s 已於 %s 離(調)職，拒絕查詢。", [s.id, eff]),
		sprintf("Staff member %s left or transferred effective %s; the request is denied.", [s.id, eff]),
	)
}

# ---------------------------------------------------------------------------------------------
# ADMIN-01 — administrator accounts

admin_handovers := object.get(input, "admin_handovers", [])

account_by_id(id) := a if {
	some a in account_records
	a.id == id
}

# When the handover's duty was done: the password change when the system cannot change the
# administrator account, else the old account's disabling (from the handover or the account).
handover_done_at(h) := opt(h, "password_changed_at") if h.system_cannot_change == true

handover_done_at(h) := d if {
	object.get(h, "system_cannot_change", false) != true
	d := old_account_disabled_at(h)
}

old_account_disabled_at(h) := h.old_account_disabled_at if {
	is_string(opt(h, "old_account_disabled_at"))
} else := d if {
	d := opt(account_by_id(h.old_account_id), "disabled_at")
} else := null

handover_duty(h) := "password_change" if {
	h.system_cannot_change == true
} else := "disable_old_account"

handover_evidence(h) := {
	"handover": h.id,
	"handover_on": h.handover_on,
	"from_staff": h.from_staff,
	"to_staff": h.to_staff,
	"duty": handover_duty(h),
	"done_at": handover_done_at(h),
	"old_account_id": opt(h, "old_account_id"),
	"new_account_id": opt(h, "new_account_id"),
}

# METADATA
# scope: document
# title: Personal administrator accounts and handover
# description: Administrator accounts are personal and not shared; at a change of administrator the old account is stopped on or before the handover date and a new one created, or the password is changed when the system cannot change the account.
# custom:
#   requirement: ADMIN-01
#   clause: 五(一)10
#   severity: high
#   title_zh: 管理者帳號專人專用及異動
#   modes: [state]
#   automated: true
#   applies: [U]
admin_01_state contains f if {
	some a in account_records
	a.kind == "admin"
	a.enabled == true
	not personal_account(a)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"account": a.id},
		{"account": a.id, "shared": object.get(a, "shared", null), "staff_id": opt(a, "staff_id")},
		sprintf("管理者帳號 %s 非專人專用（共用或未配賦予特定人員）。", [a.id]),
		sprintf("Administrator account %s is not personal (shared or not assigned to one person).", [a.id]),
	)
}

personal_account(a) if {
	object.get(a, "shared", false) != true
	is_string(opt(a, "staff_id"))
}

admin_01_state contains f if {
	some h in admin_handovers
	done := handover_done_at(h)
	is_string(done)
	lib.ns(done) >= day_after_ns(h.handover_on)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"handover": h.id, "staff": h.from_staff},
		handover_evidence(h),
		sprintf("管理者交接 %s（%s）之%s遲至 %s 始完成。", [h.id, h.handover_on, handover_duty_zh[handover_duty(h)], done]),
		sprintf("At the administrator handover %s on %s, the %s was only done at %s.", [h.id, h.handover_on, handover_duty_en[handover_duty(h)], done]),
	)
}

admin_01_state contains f if {
	some h in admin_handovers
	not is_string(handover_done_at(h))
	lib.ended(day_after_ns(h.handover_on))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"handover": h.id, "staff": h.from_staff},
		handover_evidence(h),
		sprintf("管理者交接 %s（%s）已過交接日，尚未完成%s。", [h.id, h.handover_on, handover_duty_zh[handover_duty(h)]]),
		sprintf("The administrator handover %s on %s has passed without the %s.", [h.id, h.handover_on, handover_duty_en[handover_duty(h)]]),
	)
}

admin_01_state contains f if {
	some h in admin_handovers
	not is_string(handover_done_at(h))
	lib.due_soon(day_after_ns(h.handover_on))
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"handover": h.id, "staff": h.from_staff},
		handover_evidence(h),
		sprintf("管理者交接 %s 訂於 %s，應於當日或之前完成%s。", [h.id, h.handover_on, handover_duty_zh[handover_duty(h)]]),
		sprintf("The administrator handover %s is on %s; the %s is due by then.", [h.id, h.handover_on, handover_duty_en[handover_duty(h)]]),
	)
}

admin_01_state contains f if {
	some h in admin_handovers
	object.get(h, "system_cannot_change", false) != true
	opt(h, "new_account_id") == null
	lib.ended(day_after_ns(h.handover_on))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"handover": h.id, "staff": h.to_staff},
		handover_evidence(h),
		sprintf("管理者交接 %s（%s）未為新任管理者 %s 新增帳號。", [h.id, h.handover_on, h.to_staff]),
		sprintf("At the administrator handover %s on %s no account was created for the new administrator %s.", [h.id, h.handover_on, h.to_staff]),
	)
}

handover_duty_zh := {"password_change": "密碼變更", "disable_old_account": "原管理者帳號停用"}

handover_duty_en := {"password_change": "password change", "disable_old_account": "disabling of the old administrator account"}

# ---------------------------------------------------------------------------------------------
# CARD-01 — chip card and PIN custody

# METADATA
# scope: document
# title: Chip card and PIN custody
# description: A chip card and its PIN are kept by different designated people, and the PIN is changed after each staff change.
# custom:
#   requirement: CARD-01
#   clause: 五(一)8
#   severity: high
#   title_zh: 晶片卡與密碼分別保管
#   modes: [state]
#   automated: true
#   applies: [U]
card_01_state contains f if {
	some c in object.get(input, "chip_cards", [])
	some k in ["card_custodian", "pin_custodian"]
	not filled(opt(c, k))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"card": c.id},
		{"card": c.id, "card_custodian": opt(c, "card_custodian"), "pin_custodian": opt(c, "pin_custodian"), "missing": k},
		sprintf("晶片卡 %s 未指定保管人（%s）。", [c.id, k]),
		sprintf("Chip card %s has no designated custodian (%s).", [c.id, k]),
	)
}

card_01_state contains f if {
	some c in object.get(input, "chip_cards", [])
	filled(opt(c, "card_custodian"))
	c.card_custodian == opt(c, "pin_custodian")
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"card": c.id},
		{"card": c.id, "card_custodian": c.card_custodian, "pin_custodian": c.pin_custodian},
		sprintf("晶片卡 %s 與查詢密碼由同一人 %s 保管。", [c.id, c.card_custodian]),
		sprintf("Chip card %s and its PIN are kept by the same person, %s.", [c.id, c.card_custodian]),
	)
}

card_01_state contains f if {
	some c in object.get(input, "chip_cards", [])
	change := opt(c, "last_staff_change_at")
	is_string(change)
	not pin_changed_after(c, change)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"card": c.id},
		{"card": c.id, "last_staff_change_at": change, "pin_changed_at": opt(c, "pin_changed_at")},
		sprintf("晶片卡 %s 於 %s 人員異動後未更換查詢密碼（最近更換：%v）。", [c.id, change, opt(c, "pin_changed_at")]),
		sprintf("The PIN of chip card %s was not changed after the staff change at %s (last changed: %v).", [c.id, change, opt(c, "pin_changed_at")]),
	)
}

pin_changed_after(c, change) if lib.ns(c.pin_changed_at) > lib.ns(change)

# ---------------------------------------------------------------------------------------------
# REVIEW-01 — account and permission reviews

access_reviews := object.get(input, "access_reviews", [])

reviews_in(y) := count([r | some r in access_reviews; lib.year_of(lib.ns(r.performed_at)) == y])

# METADATA
# scope: document
# title: Account and permission reviews
# description: Account and permission reviews for least privilege at least twice each calendar year (Taipei); records kept 5 years.
# custom:
#   requirement: REVIEW-01
#   clause: 五(二)
#   severity: medium
#   title_zh: 帳號及權限審查
#   modes: [state]
#   automated: true
#   applies: [U]
review_01_state contains f if {
	is_user_unit
	some y in lib.completed_years
	n := reviews_in(y)
	required := lib.param("review.min_per_year")
	n < required
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"year": y},
		{"year": y, "reviews": n, "required": required},
		sprintf("%d 年僅進行 %d 次帳號及權限審查，應至少 %d 次。", [y, n, required]),
		sprintf("%d had %d account and permission reviews; at least %d are required.", [y, n, required]),
	)
}

review_01_state contains f if {
	is_user_unit
	y := lib.year_of(lib.as_of_ns)
	lib.activity_start_year <= y
	lib.due_soon(lib.year_end_ns(y))
	n := reviews_in(y)
	required := lib.param("review.min_per_year")
	n < required
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"year": y},
		{"year": y, "reviews": n, "required": required, "due": sprintf("%d-12-31", [y])},
		sprintf("%d 年目前僅 %d 次帳號及權限審查，年底前應至少 %d 次。", [y, n, required]),
		sprintf("%d has %d account and permission reviews so far; at least %d are due by 31 December.", [y, n, required]),
	)
}

review_01_state contains f if {
	some r in access_reviews
	is_string(opt(r, "deleted_at"))
	lib.deleted_early(lib.ns(r.performed_at), lib.ns(r.deleted_at))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"review": r.id},
		{"review": r.id, "performed_at": r.performed_at, "deleted_at": r.deleted_at, "retention_years": lib.param("retention.years")},
		sprintf("帳號及權限審查紀錄 %s 於 %s 刪除，未滿 %d 年保存期限。", [r.id, r.deleted_at, lib.param("retention.years")]),
		sprintf("Access review record %s was deleted on %s, before its %d-year retention ended.", [r.id, r.deleted_at, lib.param("retention.years")]),
	)
}

review_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("REVIEW-01")
}

# METADATA
# scope: document
# title: Account and permission reviews
# description: The number of reviews a year in a configuration may only be raised.
# custom:
#   requirement: REVIEW-01
#   clause: 五(二)
#   severity: medium
#   title_zh: 帳號及權限審查
#   modes: [config]
#   automated: true
#   applies: [U]
review_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("REVIEW-01")
}

# ---------------------------------------------------------------------------------------------
# NOTIFY-01 — JCIC notifies BLI of linkage staff changes

notice_days := lib.param("jcic.staff_change_notice_days")

# The last Taipei date the notice may be given.
notice_due(c) := date_plus(c.changed_on, notice_days)

notify_evidence(c) := {
	"change": c.id,
	"changed_on": c.changed_on,
	"bli_notified_on": opt(c, "bli_notified_on"),
	"due": notice_due(c),
	"notice_days": notice_days,
}

# METADATA
# scope: document
# title: Notify BLI of linkage staff changes
# description: When JCIC's staff responsible for the linkage change, BLI is notified within 7 days.
# custom:
#   requirement: NOTIFY-01
#   clause: 五(三)
#   severity: medium
#   title_zh: 專責人員異動通知勞保局
#   modes: [state]
#   automated: true
#   applies: [M]
notify_01_state contains f if {
	some c in object.get(input, "linkage_staff_changes", [])
	notified := opt(c, "bli_notified_on")
	is_string(notified)
	notified > notice_due(c)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"change": c.id},
		notify_evidence(c),
		sprintf("%s 之專責人員異動遲至 %s 始通知勞保局，應於 %s 前通知（%d 日內）。", [c.changed_on, notified, notice_due(c), notice_days]),
		sprintf("The linkage staff change of %s was notified to BLI on %s, after the %d-day deadline %s.", [c.changed_on, notified, notice_days, notice_due(c)]),
	)
}

notify_01_state contains f if {
	is_management_agency
	some c in object.get(input, "linkage_staff_changes", [])
	opt(c, "bli_notified_on") == null
	lib.ended(day_after_ns(notice_due(c)))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"change": c.id},
		notify_evidence(c),
		sprintf("%s 之專責人員異動未於 %s 前通知勞保局。", [c.changed_on, notice_due(c)]),
		sprintf("The linkage staff change of %s was not notified to BLI by %s.", [c.changed_on, notice_due(c)]),
	)
}

notify_01_state contains f if {
	is_management_agency
	some c in object.get(input, "linkage_staff_changes", [])
	opt(c, "bli_notified_on") == null
	lib.due_soon(day_after_ns(notice_due(c)))
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"change": c.id},
		notify_evidence(c),
		sprintf("%s 之專責人員異動應於 %s 前通知勞保局。", [c.changed_on, notice_due(c)]),
		sprintf("The linkage staff change of %s must be notified to BLI by %s.", [c.changed_on, notice_due(c)]),
	)
}

notify_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("NOTIFY-01")
}

# METADATA
# scope: document
# title: Notify BLI of linkage staff changes
# description: The notice period parameter in a configuration may only be shortened.
# custom:
#   requirement: NOTIFY-01
#   clause: 五(三)
#   severity: medium
#   title_zh: 專責人員異動通知勞保局
#   modes: [config]
#   automated: true
#   applies: [M]
notify_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("NOTIFY-01")
}
