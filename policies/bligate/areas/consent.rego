# METADATA
# title: Consent of the data subject (當事人授權同意)
# description: |
#   CONSENT-01, CONSENT-02, CONSENT-03. Broker mode checks the consent the broker looked up for
#   one request; state mode checks each query record against the consents in the document (the
#   collector sends the consents a batch of records refers to) and each consent record itself;
#   config mode checks the query system's settings.
package bligate.areas.consent

import data.bligate.lib

broker_denials contains d if some d in consent_01_broker

state_findings contains f if some f in consent_01_state

state_findings contains f if some f in consent_02_state

state_findings contains f if some f in consent_03_state

config_findings contains f if some f in consent_01_config

config_findings contains f if some f in consent_03_config

# ---------------------------------------------------------------------------------------------
# Helpers

# A value that carries nothing: null (or absent, read with a null default) or blank text.
blank(v) if v == null

blank(v) if {
	is_string(v)
	trim_space(v) == ""
}

# Roles (requirements.md "applies"): a requirement that checks for a missing setting applies
# only to the roles listed for it.
role_code := {"user_unit": "U", "management_agency": "M", "supervisor": "S"}[input.institution.role]

applies(codes) if role_code in codes

config_value(key) := object.get(input, split(key, "."), null)

problem_text := {
	"consent_missing": {"zh": "未取得當事人授權", "en": "no consent of the data subject"},
	"consent_not_found": {"zh": "所引用之授權紀錄不存在", "en": "the consent referred to does not exist"},
	"consent_mismatch": {"zh": "授權紀錄與查詢所引用者不符", "en": "the consent found is not the one the request refers to"},
	"consented_after_query": {"zh": "授權日期晚於查詢", "en": "consent given after the query"},
	"not_registered": {"zh": "授權資訊未傳送聯徵中心", "en": "consent not sent to JCIC"},
	"registered_after_query": {"zh": "授權資訊於查詢後始傳送聯徵中心", "en": "consent sent to JCIC only after the query"},
	"not_approved": {"zh": "授權未經聯徵中心審核通過", "en": "consent not approved by JCIC"},
	"approved_after_query": {"zh": "聯徵中心於查詢後始審核通過", "en": "consent approved by JCIC only after the query"},
	"deleted_before_query": {"zh": "授權紀錄於查詢前已刪除", "en": "consent deleted before the query"},
	"identity_not_verified": {"zh": "電子授權身分驗證未通過", "en": "identity verification of the electronic consent failed"},
	"date_missing": {"zh": "授權日期", "en": "date"},
	"source_missing": {"zh": "來源 IP 或電話號碼", "en": "source IP address or phone number"},
	"text_version_missing": {"zh": "授權書內容或版本", "en": "consent text or version"},
	"identity_result_missing": {"zh": "身分驗證結果", "en": "identity-verification result"},
}

zh_problems(ps) := concat("、", [problem_text[p].zh | some p in ps])

en_problems(ps) := concat(", ", [problem_text[p].en | some p in ps])

# ---------------------------------------------------------------------------------------------
# CONSENT-01 — an approved consent before the query

consent_checks := [
	"consented_after_query", "not_registered", "registered_after_query",
	"not_approved", "approved_after_query", "deleted_before_query", "identity_not_verified",
]

# The problems of consent c for a query at instant t (empty: the consent covers the query).
# Registered with and approved by JCIC at or before the query instant.
consent_problems(c, t) := [p | some p in consent_checks; consent_problem(p, c, t)]

consent_problem("consented_after_query", c, t) if lib.date_ns(c.consented_on) > t

consent_problem("not_registered", c, _) if blank(object.get(c, "jcic_registered_at", null))

consent_problem("registered_after_query", c, t) if {
	is_string(c.jcic_registered_at)
	lib.ns(c.jcic_registered_at) > t
}

consent_problem("not_approved", c, _) if blank(object.get(c, "jcic_approved_at", null))

consent_problem("approved_after_query", c, t) if {
	is_string(c.jcic_approved_at)
	lib.ns(c.jcic_approved_at) > t
}

consent_problem("deleted_before_query", c, t) if {
	is_string(c.deleted_at)
	lib.ns(c.deleted_at) <= t
}

consent_problem("identity_not_verified", c, _) if {
	c.channel == "electronic"
	c.identity_verified == false
}

consent_evidence(c) := {k: object.get(c, k, null) | some k in ["id", "channel", "consented_on", "jcic_registered_at", "jcic_approved_at", "deleted_at"]}

# Broker mode: the request and the consent the broker looked up.
request := input.request

request_ns := lib.ns(request.requested_at) if {
	is_string(request.requested_at)
} else := lib.as_of_ns

broker_consent := object.get(input, "consent", null)

broker_consent_problems := ["consent_missing"] if {
	not is_object(broker_consent)
} else := ["consent_mismatch"] if {
	is_string(request.consent_id)
	not blank(request.consent_id)
	request.consent_id != broker_consent.id
} else := consent_problems(broker_consent, request_ns)

# METADATA
# scope: document
# title: Approved consent before the query
# description: A request without the data subject's consent, sent to and approved by JCIC before the request time, is rejected.
# custom:
#   requirement: CONSENT-01
#   clause: 四(二)1(2), 3(2), 3(3)
#   severity: high
#   title_zh: 查詢前取得當事人授權並經聯徵中心審核通過
#   modes: [broker]
#   automated: true
#   applies: [U, M]
consent_01_broker contains lib.finding(rego.metadata.chain(), "violation", {"request": request.id}, ev, zh, en) if {
	ps := broker_consent_problems
	count(ps) > 0
	ev := {
		"problems": ps,
		"consent_id": object.get(request, "consent_id", null),
		"requested_at": object.get(request, "requested_at", null),
		"consent": consent_evidence_or_null(broker_consent),
	}
	zh := sprintf("查詢請求 %s 未具經聯徵中心審核通過之當事人授權：%s，拒絕查詢。", [request.id, zh_problems(ps)])
	en := sprintf("Request %s has no consent of the data subject approved by JCIC before the request (%s); the request is denied.", [request.id, en_problems(ps)])
}

consent_evidence_or_null(c) := consent_evidence(c) if is_object(c)

consent_evidence_or_null(c) := null if not is_object(c)

# State mode: the consents of the document by id (several with one id are all considered).
consents := object.get(input, "consents", [])

consent_index[c.id] contains c if some c in consents

# The problems of a query record's consent: none when one of the consents with its id covers it,
# else those of the consent with the fewest (ties: the first in sort order).
record_consent_problems(r) := ["consent_missing"] if {
	blank(object.get(r, "consent_id", null))
} else := ["consent_not_found"] if {
	not consent_index[r.consent_id]
} else := least_problems({consent_problems(c, lib.ns(r.at)) | some c in consent_index[r.consent_id]})

least_problems(lists) := [] if [] in lists

least_problems(lists) := fewest[0] if {
	not [] in lists
	m := min({count(l) | some l in lists})
	fewest := sort([l | some l in lists; count(l) == m])
}

# METADATA
# scope: document
# title: Approved consent before the query
# description: Every query record refers to a consent of the data subject that was sent to and approved by JCIC before the query.
# custom:
#   requirement: CONSENT-01
#   clause: 四(二)1(2), 3(2), 3(3)
#   severity: high
#   title_zh: 查詢前取得當事人授權並經聯徵中心審核通過
#   modes: [state]
#   automated: true
#   applies: [U, M]
consent_01_state contains lib.finding(rego.metadata.chain(), "violation", {"record": r.id}, ev, zh, en) if {
	some r in uncovered_records
	ps := record_consent_problems(r)
	count(ps) > 0
	ev := {
		"record": r.id,
		"at": object.get(r, "at", null),
		"consent_id": object.get(r, "consent_id", null),
		"problems": ps,
		"consents": sort([consent_evidence(c) | some c in object.get(consent_index, [object.get(r, "consent_id", null)], set())]),
	}
	zh := sprintf("查詢紀錄 %s 未具查詢前經聯徵中心審核通過之當事人授權：%s。", [r.id, zh_problems(ps)])
	en := sprintf("Query record %s has no consent of the data subject approved by JCIC before the query: %s.", [r.id, en_problems(ps)])
}

# METADATA
# scope: document
# title: Approved consent before the query
# description: The query system requires a consent approved by JCIC before every query.
# custom:
#   requirement: CONSENT-01
#   clause: 四(二)1(2), 3(2), 3(3)
#   severity: high
#   title_zh: 查詢前取得當事人授權並經聯徵中心審核通過
#   modes: [config]
#   automated: true
#   applies: [U, M]
consent_01_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "query.require_consent"}, ev, zh, en) if {
	applies({"U", "M"})
	v := config_value("query.require_consent")
	v != true
	ev := {"key": "query.require_consent", "value": v, "required": true}
	zh := sprintf("query.require_consent 應設為 true（目前為 %v）：查詢前須取得經聯徵中心審核通過之當事人授權。", [v])
	en := sprintf("query.require_consent must be true (it is %v): every query needs the data subject's consent approved by JCIC.", [v])
}

# ---------------------------------------------------------------------------------------------
# CONSENT-02 — what an electronic consent record keeps

electronic_checks := ["date_missing", "source_missing", "text_version_missing", "identity_result_missing"]

electronic_problem("date_missing", c) if blank(object.get(c, "consented_on", null))

electronic_problem("source_missing", c) if {
	blank(object.get(c, "source_ip", null))
	blank(object.get(c, "source_phone", null))
}

electronic_problem("text_version_missing", c) if blank(object.get(c, "text_version", null))

electronic_problem("identity_result_missing", c) if not is_boolean(object.get(c, "identity_verified", null))

# METADATA
# scope: document
# title: Electronic consent record complete
# description: An electronic consent keeps its date, source IP address or phone number, consent text or version, and identity-verification result.
# custom:
#   requirement: CONSENT-02
#   clause: 四(二)3(4)
#   severity: medium
#   title_zh: 電子授權紀錄留存
#   modes: [state]
#   automated: true
#   applies: [U]
consent_02_state contains lib.finding(rego.metadata.chain(), "violation", {"consent": c.id}, ev, zh, en) if {
	some c in consents
	c.channel == "electronic"
	blank(object.get(c, "deleted_at", null))
	ps := [p | some p in electronic_checks; electronic_problem(p, c)]
	count(ps) > 0
	ev := {
		"consent": c.id,
		"missing": ps,
		"consented_on": object.get(c, "consented_on", null),
		"source_ip": object.get(c, "source_ip", null),
		"source_phone": object.get(c, "source_phone", null),
		"text_version": object.get(c, "text_version", null),
		"identity_verified": object.get(c, "identity_verified", null),
	}
	zh := sprintf("電子授權紀錄 %s 未留存：%s。", [c.id, zh_problems(ps)])
	en := sprintf("Electronic consent %s does not keep: %s.", [c.id, en_problems(ps)])
}

# ---------------------------------------------------------------------------------------------
# CONSENT-03 — consents kept 5 years after the credit period ends or the refusal

# The dates a consent's retention runs from: the end of the credit period and the refusal date.
retention_bases(c) := [d | some k in ["credit_end_on", "refused_on"]; d := object.get(c, k, null); not blank(d)]

# The end of a consent's retention: 5 years after the later of its bases.
consent_retention_end_ns(c) := max([lib.retention_end_ns(lib.date_ns(d)) | some d in retention_bases(c)])

consent_03_evidence(c) := {
	"consent": c.id,
	"deleted_at": c.deleted_at,
	"credit_granted": object.get(c, "credit_granted", null),
	"credit_end_on": object.get(c, "credit_end_on", null),
	"refused_on": object.get(c, "refused_on", null),
	"retention_years": lib.param("retention.years"),
}

# METADATA
# scope: document
# title: Consents kept five years
# description: Consent records are kept until 5 years after the credit period ends, or 5 years from the refusal date; a consent whose credit period has not ended is never deleted.
# custom:
#   requirement: CONSENT-03
#   clause: 四(二)3(5)
#   severity: high
#   title_zh: 授權紀錄保存五年
#   modes: [state]
#   automated: true
#   applies: [U]
consent_03_state contains lib.finding(rego.metadata.chain(), "violation", {"consent": c.id}, ev, zh, en) if {
	some c in consents
	is_string(c.deleted_at)
	count(retention_bases(c)) > 0
	deleted := lib.ns(c.deleted_at)
	until := consent_retention_end_ns(c)
	deleted < until
	ev := object.union(consent_03_evidence(c), {"keep_until": lib.date_of(until)})
	zh := sprintf("授權紀錄 %s 於 %s 刪除，未滿授信期間終止或拒絕核貸後 %d 年之保存期限（應保存至 %s）。", [c.id, c.deleted_at, ev.retention_years, ev.keep_until])
	en := sprintf("Consent %s was deleted on %s, before the %d years after the credit period ended or credit was refused (keep until %s).", [c.id, c.deleted_at, ev.retention_years, ev.keep_until])
}

consent_03_state contains lib.finding(rego.metadata.chain(), "violation", {"consent": c.id}, ev, zh, en) if {
	some c in consents
	is_string(c.deleted_at)
	count(retention_bases(c)) == 0
	ev := object.union(consent_03_evidence(c), {"keep_until": null})
	zh := sprintf("授權紀錄 %s 於 %s 刪除，但無授信期間終止日或拒絕核貸日（授信期間尚未終止），不得銷毀。", [c.id, c.deleted_at])
	en := sprintf("Consent %s was deleted on %s but has no credit-period end or refusal date (its credit period has not ended); it may not be destroyed.", [c.id, c.deleted_at])
}

# METADATA
# scope: document
# title: Consents kept five years
# description: The query system keeps consent records at least 5 years.
# custom:
#   requirement: CONSENT-03
#   clause: 四(二)3(5)
#   severity: high
#   title_zh: 授權紀錄保存五年
#   modes: [config]
#   automated: true
#   applies: [U]
consent_03_config contains lib.finding(rego.metadata.chain(), "violation", {"key": "retention.consents"}, ev, zh, en) if {
	applies({"U"})
	years := lib.param("retention.years")
	v := config_value("retention.consents")
	not at_least(v, years)
	ev := {"key": "retention.consents", "value": v, "required_min": years}
	zh := sprintf("retention.consents 為 %v，授權紀錄應至少保存 %d 年（自授信期間終止或拒絕核貸日起算）。", [v, years])
	en := sprintf("retention.consents is %v; consent records are kept at least %d years (from the end of the credit period or the refusal).", [v, years])
}

at_least(v, lo) if {
	is_number(v)
	v >= lo
}

# ---------------------------------------------------------------------------------------------
# CONSENT-01 state mode: the screen in front of the per-record check

# Almost every query record has a consent that covers it, and proving that through
# record_consent_problems (every consent's problem list, then the fewest) costs most of a
# batch's evaluation. So CONSENT-01 checks in detail only the records record_covered does not
# clear: every other record has a consent with no problem, hence no finding.
# rules-tests/consent_test.rego pins the screen to the detailed checks.
#
# A consent covers a query at instant t when it has none of consent_problems(c, t). For a
# consent whose id is text, that is not deleted, whose identity verification did not fail and
# whose date, registration and approval all parse (the usual consent), that is exactly when t
# is at or after the latest of the three: not consented_after_query, registered_after_query,
# approved_after_query, and registered and approved at all (not_registered, not_approved).
# consent_covers_from holds that instant per consent id, computed once per batch: each consent's
# instants are parsed once, not once per query record. Other consents have none: the records
# that refer to them are not cleared.
consent_covers_from[c.id] contains max([consented, registered, approved]) if {
	some c in consents
	trim_space(c.id) != ""
	not is_string(c.deleted_at)
	not c.identity_verified == false
	consented := time.parse_rfc3339_ns(concat("", [c.consented_on, "T00:00:00+08:00"])) # lib.date_ns of text
	registered := time.parse_rfc3339_ns(c.jcic_registered_at)
	approved := time.parse_rfc3339_ns(c.jcic_approved_at)
}

# A record whose time parses and that refers to a consent covering that time:
# record_consent_problems(r) is [] (that consent's problem list is empty), no finding.
record_covered(r) if {
	t := time.parse_rfc3339_ns(r.at)
	some from in consent_covers_from[r.consent_id]
	from <= t
}

# The records record_covered does not clear (in their order, as CONSENT-01 would meet them).
uncovered_records := [r | some r in object.get(input, "query_records", []); not record_covered(r)]
