#!/usr/bin/env pwsh
# Bootstrap for the Slipway build on PowerShell: the same steps as build.sh. Find a .NET SDK that satisfies
# global.json (or install one under .nuke/temp), rebuild build/_build.csproj only when its inputs changed, then run
# the compiled build directly with every argument passed through.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Bin = Join-Path $Temp 'build'
$Stamp = Join-Path $Temp 'build.stamp'
$DotnetPath = Join-Path $Temp 'dotnet.path'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

# Fingerprint of the build's inputs: path and mtime of every source file, so edits, additions and deletions all show.
function Get-Fingerprint {
    $files = @('build', 'src') | ForEach-Object { Get-ChildItem -Recurse -File -Path (Join-Path $Root $_) -ErrorAction SilentlyContinue } |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    $files += @('Directory.Build.props', 'Directory.Packages.props', 'global.json') | ForEach-Object { Get-Item (Join-Path $Root $_) -ErrorAction SilentlyContinue }
    $text = ($files | Sort-Object FullName | ForEach-Object { "$($_.LastWriteTimeUtc.Ticks) $($_.FullName)" }) -join "`n"
    $sha = [System.Security.Cryptography.SHA256]::Create()
    return [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text))).Replace('-', '')
}

function Invoke-Build($dotnet) {
    & $dotnet (Join-Path $Bin '_build.dll') @args
    exit $LASTEXITCODE
}

# Warm path: the SDK chosen last time still exists and no input changed since the last successful compile.
if ((Test-Path $Stamp) -and (Test-Path (Join-Path $Bin '_build.dll')) -and (Test-Path $DotnetPath)) {
    $dotnet = (Get-Content $DotnetPath -Raw).Trim()
    if ((Test-Path $dotnet) -and ((Get-Content $Stamp -Raw).Trim() -eq (Get-Fingerprint))) { Invoke-Build $dotnet @args }
}

New-Item -ItemType Directory -Force -Path $Temp | Out-Null
$global = Get-Content (Join-Path $Root 'global.json') -Raw | ConvertFrom-Json
$parts = $global.sdk.version.Split('.')
$wantMM = "$($parts[0]).$($parts[1])"; $wantPatch = [int]$parts[2]
function Test-Sdk($dotnet) {
    if (-not $dotnet -or -not (Test-Path $dotnet)) { return $false }
    try { $sdks = & $dotnet --list-sdks 2>$null } catch { return $false }
    foreach ($line in $sdks) {
        $v = ($line -split ' ')[0]
        if ($v -match '-') { continue } # previews don't satisfy allowPrerelease: false
        $p = $v.Split('.')
        if ("$($p[0]).$($p[1])" -eq $wantMM -and [int]$p[2] -ge $wantPatch) { return $true }
    }
    return $false
}

$dotnet = $null
if ($env:DOTNET_EXE -and (Test-Sdk $env:DOTNET_EXE)) { $dotnet = $env:DOTNET_EXE }
elseif ((Get-Command dotnet -ErrorAction SilentlyContinue) -and (Test-Sdk (Get-Command dotnet).Source)) { $dotnet = (Get-Command dotnet).Source }
else {
    $local = Join-Path $Temp ($IsWindows -or $env:OS -eq 'Windows_NT' ? 'dotnet-sdk/dotnet.exe' : 'dotnet-sdk/dotnet')
    if (-not (Test-Sdk $local)) {
        Write-Host "No .NET SDK $wantMM.$wantPatch or later $wantMM feature band on PATH; installing one into .nuke/temp/dotnet-sdk"
        try {
            $script = Join-Path $Temp 'dotnet-install.ps1'
            Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $script
            & $script -JSonFile (Join-Path $Root 'global.json') -InstallDir (Join-Path $Temp 'dotnet-sdk') -NoPath
        } catch {
            Write-Host "Could not download the .NET SDK $wantMM (no network to dot.net?). Do one of these, then re-run ./build.ps1:"
            Write-Host "  - install it: winget install Microsoft.DotNet.SDK.10  (Windows) or apt-get install -y dotnet-sdk-$wantMM (Debian/Ubuntu)"
            Write-Host "  - or unpack the SDK archive from https://dotnet.microsoft.com/download/dotnet/$wantMM into .nuke/temp/dotnet-sdk"
            Write-Host "  - or point DOTNET_EXE at an existing dotnet that has a $wantMM SDK."
            exit 1
        }
    }
    $dotnet = $local
    $env:DOTNET_ROOT = Split-Path $dotnet
    $env:PATH = "$(Split-Path $dotnet)$([System.IO.Path]::PathSeparator)$env:PATH"
}
Set-Content -Path $DotnetPath -Value $dotnet

# Fingerprint before compiling: a file edited during the compile shows as a change next time.
$fingerprint = Get-Fingerprint
if (-not (Test-Path $Stamp) -or -not (Test-Path (Join-Path $Bin '_build.dll')) -or (Get-Content $Stamp -Raw).Trim() -ne $fingerprint) {
    Write-Host 'Compiling the build project (build/_build.csproj; its inputs changed)...'
    $log = Join-Path $Temp 'build.log'
    & $dotnet build (Join-Path $Root 'build/_build.csproj') -c Release -o $Bin --nologo -v quiet -tl:off *> $log
    if ($LASTEXITCODE -ne 0) {
        Get-Content $log | Select-String -Pattern 'error' | Sort-Object -Unique | ForEach-Object { Write-Host $_ }
        Write-Host 'The build project failed to compile (full log: .nuke/temp/build.log).'
        exit 1
    }
    Set-Content -Path $Stamp -Value $fingerprint
}
Invoke-Build $dotnet @args
