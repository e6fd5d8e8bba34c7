/* bcryptprimitives.dll for Wine 8, which has none: Rust's standard library (1.78 and later)
 * takes its randomness from ProcessPrng there, so no Rust program starts without it. Only for
 * running tests under Wine (scripts/test-windows.sh); a real Windows has its own. */
#include <windows.h>

/* RtlGenRandom, exported by advapi32 under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
