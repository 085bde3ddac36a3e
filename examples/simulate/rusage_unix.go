//go:build unix

package main

import (
	"runtime"
	"syscall"
	"time"
)

// maxRSS returns the process's peak resident set size in bytes, or 0 when
// the system does not say.
func maxRSS() uint64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return uint64(ru.Maxrss) // bytes there
	}
	return uint64(ru.Maxrss) * 1024 // kilobytes elsewhere
}

// cpuTime returns the CPU time the process has used (user and system, all
// threads, the GC's included), or 0 when the system does not say. On a
// loaded machine it is a steadier figure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
