# METADATA
# title: Broker mode entry point
# description: |
#   The decision on one query request to the JCIC interface
#   (engine/schema/broker.schema.json): allowed only when no area denies it.
package bligate.broker

# Every reason to deny the request in input.
denials contains d if some d in data.bligate.areas[_].broker_denials

default allow := false

allow if count(denials) == 0

# The decision the broker enforces, with the requirement IDs that denied it.
decision := {
	"allow": allow,
	"denials": [d | some d in denials],
	"requirements": sort({d.requirement | some d in denials}),
}
