package x

import data.a
import data.b.a

input := 1

p if {
	data := 2
	data == 2
}

q := a
