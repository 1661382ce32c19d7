/*
 * A stand-in for Windows' bcryptprimitives.dll, for testing qalam.exe under
 * Wine 8.0 (Debian 12's), which lacks it: the Go runtime takes its random
 * numbers from ProcessPrng there (Windows 10 and later have it) and stops
 * without it. scripts/dist-check.sh builds this with MinGW into the Wine
 * prefix's system32; it is not shipped.
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
