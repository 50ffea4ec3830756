# METADATA
# title: Password rules of the plan (五(一)4)
# description: |
#   PWD-01: the password policy of every batch/server query system requires at least
#   8 characters and all four character classes (digit, upper case, lower case, special).
package plan.password

required_min_length := 8

# Character classes every password must mix, with how findings name them.
required_classes := {
	"digit": "a digit",
	"upper": "an upper-case letter",
	"lower": "a lower-case letter",
	"special": "a special symbol",
}

# One finding per problem of a batch/server system's password policy.
violations contains finding if {
	some system in input.systems
	system.batch_server == true
	some problem in problems(system.password_policy)
	finding := {
		"requirement": "PWD-01",
		"clause": "五(一)4",
		"system": system.id,
		"problem": problem,
	}
}

compliant := count(violations) == 0

problems(policy) := short | unset | missing if {
	short := {msg |
		policy.min_length < required_min_length
		msg := sprintf("minimum length %d is below %d", [policy.min_length, required_min_length])
	}
	unset := {"minimum length is not set" | not is_number(policy.min_length)}
	missing := {msg |
		some class, name in required_classes
		not class in object.get(policy, "required_classes", [])
		msg := sprintf("does not require %s", [name])
	}
}
