#!/usr/bin/env pwsh
# Bootstrap for the Slipway build on PowerShell: same steps as build.sh.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Bin = Join-Path $Temp 'build'
$Stamp = Join-Path $Temp 'build.stamp'
New-Item -ItemType Directory -Force -Path $Temp | Out-Null
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'

$global = Get-Content (Join-Path $Root 'global.json') | ConvertFrom-Json
$parts = $global.sdk.version.Split('.')
$wantMM = "$($parts[0]).$($parts[1])"; $wantBand = [int]$parts[2]
function Test-Sdk($dotnet) {
    try { $sdks = & $dotnet --list-sdks 2>$null } catch { return $false }
    foreach ($line in $sdks) { $v = ($line -split ' ')[0].Split('.'); if ("$($v[0]).$($v[1])" -eq $wantMM -and [int]$v[2] -ge $wantBand) { return $true } }
    return $false
}
$dotnet = (Get-Command dotnet -ErrorAction SilentlyContinue)?.Source
if (-not $dotnet -or -not (Test-Sdk $dotnet)) {
    $dotnet = Join-Path $Temp 'dotnet-sdk/dotnet'
    if (-not (Test-Path $dotnet) -or -not (Test-Sdk $dotnet)) {
        Write-Host "No .NET SDK $wantMM on PATH; installing one into .nuke/temp/dotnet-sdk"
        try {
            $script = Join-Path $Temp 'dotnet-install.ps1'
            Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $script
            & $script -Channel $wantMM -InstallDir (Join-Path $Temp 'dotnet-sdk') -NoPath
        } catch {
            Write-Error "Could not download the .NET SDK $wantMM (no network?). Install it from https://dotnet.microsoft.com/download and re-run."
            exit 1
        }
    }
}
$needsBuild = $true
if ((Test-Path $Stamp) -and (Test-Path (Join-Path $Bin '_build.dll'))) {
    $stampTime = (Get-Item $Stamp).LastWriteTimeUtc
    $inputs = @('build', 'src') | ForEach-Object { Get-ChildItem -Recurse -File (Join-Path $Root $_) } |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    $inputs += Get-Item (Join-Path $Root 'Directory.Build.props'), (Join-Path $Root 'Directory.Packages.props'), (Join-Path $Root 'global.json')
    $needsBuild = [bool]($inputs | Where-Object { $_.LastWriteTimeUtc -gt $stampTime } | Select-Object -First 1)
}
if ($needsBuild) {
    $started = Get-Date
    & $dotnet build (Join-Path $Root 'build/_build.csproj') -c Release -o $Bin --nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { Write-Error 'The build project failed to compile (see errors above).'; exit 1 }
    New-Item -ItemType File -Force -Path $Stamp | Out-Null
    (Get-Item $Stamp).LastWriteTime = $started
}
& $dotnet (Join-Path $Bin '_build.dll') @args
exit $LASTEXITCODE
